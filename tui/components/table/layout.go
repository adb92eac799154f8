package table

// layout gives every column its width for the table's width: the two-cell
// cursor marker and one space between columns come first, fixed columns get
// their minimum, and growing columns share the rest. When even the minimums
// do not fit, the last columns are dropped rather than squeezing every
// column into unreadable stubs.
func (t *Table) layout() []int {
	avail := t.width - 2
	var widths []int
	used, grow := 0, 0
	for i, c := range t.Columns {
		need := c.Width
		if i > 0 {
			need++
		}
		if used+need > avail {
			break
		}
		used += need
		widths = append(widths, c.Width)
		if c.Grow {
			grow++
		}
	}
	return share(t.Columns, widths, avail-used, grow)
}

func share(cols []Column, widths []int, extra, grow int) []int {
	if grow == 0 || extra <= 0 {
		return widths
	}
	each, rest := extra/grow, extra%grow
	for i := range widths {
		if !cols[i].Grow {
			continue
		}
		widths[i] += each
		if rest > 0 {
			widths[i]++
			rest--
		}
	}
	return widths
}

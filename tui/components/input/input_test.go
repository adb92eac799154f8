package input

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestInput_Edit(t *testing.T) {
	t.Parallel()
	in := New("> ")
	for _, r := range "hey" {
		in.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	in.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	in.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	if in.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) {
		t.Fatal("enter is not an edit")
	}
	if got := in.Value(); got != "hey" {
		t.Fatalf("value = %q", got)
	}
	if got := in.Render(6); got != "> hey█" {
		t.Fatalf("render = %q", got)
	}
	if got := in.Render(5); got != "> ey█" {
		t.Fatalf("narrow render = %q", got)
	}
}

package web

import (
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
)

// usageData fills the Usage page.
type usageData struct {
	Plan         account.PlanView
	ResetsLocal  time.Time
	Days         []api.UsageDay
	Chart        barChart
	From, To     string
	TimeZone     string
	ZoneGiven    bool // the zone came from the form, not the default
	TotalBots    int
	TotalMinutes float64
	Errors       map[string]string
}

// usagePage shows the plan with today's allowance, and bots per day over
// a range of local days.
func (c *Console) usagePage(v *visit) (result, error) {
	q := v.r.URL.Query()
	d := usageData{From: q.Get("from"), To: q.Get("to"), TimeZone: q.Get("timeZone"), ZoneGiven: q.Get("timeZone") != ""}
	val := &domain.Validator{}
	loc := account.Zone(val, d.TimeZone, "timeZone")
	d.TimeZone = loc.String()
	today := account.StartOfDay(c.now().In(loc))
	from := account.Day(val, d.From, "from", loc, today.AddDate(0, 0, -13))
	to := account.Day(val, d.To, "to", loc, today)
	d.From, d.To = from.Format("2006-01-02"), to.Format("2006-01-02")
	status := 200
	if err := val.Err(); err != nil {
		d.Errors, status = fieldErrors(err), 422
	} else if err := c.fillUsage(v, &d, from, to.AddDate(0, 0, 1)); err != nil {
		if d.Errors = fieldErrors(err); d.Errors == nil {
			return nil, err
		}
		status = 422
	}
	plan, err := c.svc.Account.PlanToday(v.r.Context(), v.caller().User)
	if err != nil {
		return nil, err
	}
	d.Plan, d.ResetsLocal = plan, plan.ResetsAt.In(loc)
	return view{page: "usage", title: "Usage", nav: "usage", status: status, data: d}, nil
}

func (c *Console) fillUsage(v *visit, d *usageData, from, to time.Time) error {
	days, err := c.svc.Account.Usage(v.r.Context(), v.caller().User.ID, from, to)
	if err != nil {
		return err
	}
	d.Days, d.Chart = days, usageChart(days)
	for _, day := range days {
		d.TotalBots += day.Bots
		d.TotalMinutes += day.BotMinutes
	}
	return nil
}

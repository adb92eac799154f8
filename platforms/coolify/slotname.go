package coolify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Meeting platforms a slot can serve; each has its own bot image, so a
// slot serves one of them for its whole life.
const (
	GoogleMeet     = "google-meet"
	MicrosoftTeams = "microsoft-teams"
	Zoom           = "zoom"
)

// MeetingPlatforms lists the meeting platforms in a fixed order.
var MeetingPlatforms = []string{GoogleMeet, MicrosoftTeams, Zoom}

// SlotPrefix starts the name of every pool application. Coolify's list
// holds all of the team's applications; the pool only ever touches those
// whose names parse as slot names.
const SlotPrefix = "pool-"

// SlotName identifies a slot: pool-<meeting platform>-<number>, the number
// zero-padded to three digits as the original server wrote them
// (pool-google-meet-001). Numbers start at 1.
type SlotName struct {
	MeetingPlatform string
	Number          int
}

// String formats the name.
func (n SlotName) String() string { return FormatSlotName(n.MeetingPlatform, n.Number) }

// FormatSlotName formats a slot name; it has the signature the store's
// slot pool wants for naming the slots it creates.
func FormatSlotName(meetingPlatform string, number int) string {
	return fmt.Sprintf("%s%s-%03d", SlotPrefix, meetingPlatform, number)
}

// ParseSlotName parses a slot name. It fails for any other application
// name, so a team's unrelated applications are never taken for slots.
func ParseSlotName(s string) (SlotName, error) {
	rest, ok := strings.CutPrefix(s, SlotPrefix)
	i := strings.LastIndexByte(rest, '-')
	if !ok || i <= 0 {
		return SlotName{}, fmt.Errorf("coolify: %q is not a slot name (want %s<meeting platform>-NNN)", s, SlotPrefix)
	}
	mp, num := rest[:i], rest[i+1:]
	if !slices.Contains(MeetingPlatforms, mp) {
		return SlotName{}, fmt.Errorf("coolify: slot name %q: unknown meeting platform %q", s, mp)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || len(num) < 3 || num[0] == '+' || (len(num) > 3 && num[0] == '0') {
		return SlotName{}, fmt.Errorf("coolify: slot name %q: number %q must be 001 or more, zero-padded to three digits", s, num)
	}
	return SlotName{MeetingPlatform: mp, Number: n}, nil
}

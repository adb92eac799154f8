package webhook

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// addrRefusedError is a webhook connection refused because of where it
// would go. It is permanent: retrying cannot change the answer.
type addrRefusedError struct {
	addr netip.Addr
	why  string
}

func (e *addrRefusedError) Error() string {
	return fmt.Sprintf("address %s refused: %s (set MEEBOTER_WEBHOOK_ALLOW_PRIVATE=true to allow it)", e.addr, e.why)
}

// refusedRanges are special-purpose IPv4 ranges the netip predicates do not
// cover but that never hold a public web server: reaching them would let a
// callback URL probe networks the daemon sits in.
var refusedRanges = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// Prefixes of IPv6 addresses that carry an IPv4 address a gateway forwards
// to: the embedded address is checked as well, so 64:ff9b::7f00:1 cannot
// stand in for 127.0.0.1.
var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// checkWebhookAddr refuses any address that is not plainly public unicast.
// IPv4-mapped IPv6 addresses are judged as the IPv4 address they are.
func checkWebhookAddr(a netip.Addr) error {
	a = a.Unmap().WithZone("")
	why := ""
	switch {
	case !a.IsValid():
		why = "not an IP address"
	case a.IsUnspecified():
		why = "unspecified"
	case a.IsLoopback():
		why = "loopback"
	case a.IsPrivate():
		why = "private"
	case a.IsLinkLocalUnicast():
		why = "link-local"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		why = "multicast"
	}
	for _, r := range refusedRanges {
		if why == "" && r.prefix.Contains(a) {
			why = r.why
		}
	}
	if why != "" {
		return &addrRefusedError{addr: a, why: why}
	}
	if inner, ok := embeddedIPv4(a); ok {
		return checkWebhookAddr(inner)
	}
	return nil
}

// embeddedIPv4 extracts the IPv4 address of a NAT64 or 6to4 address.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// webhookDialer dials webhook receivers. Unless private addresses are
// allowed, its Control hook checks the address each connection is actually
// made to, after name resolution, so a name that resolves to a public
// address when the URL is checked and a private one when dialled (DNS
// rebinding) is still refused.
func webhookDialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: webhookTimeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &addrRefusedError{why: "unparsable address " + address}
			}
			return checkWebhookAddr(ap.Addr())
		}
	}
	return d
}

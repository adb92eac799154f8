package trpc

// procedures maps each tRPC path the bots call to its handler. The kinds
// match the reference router: a query must come by GET, a mutation by POST.
var procedures = map[string]procedure{
	"bots.getConfig":                      proc(query, getConfig),
	"infrastructure.coolify.pool.getSlot": proc(query, getSlot),
	"bots.sendHeartbeat":                  proc(mutation, sendHeartbeat),
	"bots.events.report":                  proc(mutation, reportEvent),
	"bots.updateStatus":                   proc(mutation, updateStatus),
	"bots.chat.dequeueMessage":            proc(query, dequeueMessage),
	"bots.logs.stream":                    proc(mutation, streamLogs),
	"bots.logs.flush":                     proc(mutation, flushLogs),
}

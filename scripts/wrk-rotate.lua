-- wrk script: every request uses the next bot's token (TOKENS: the file
-- the null platform, or the bench bot command, writes), so no answer comes
-- from one hot bot. MODE: native, trpc, healthz, get (GET /v1/bots/{id} with KEY),
-- list (GET /v1/bots?limit=50 with KEY).
local tokens, ids = {}, {}
for line in io.lines(os.getenv("TOKENS")) do
  local id, tok = line:match('"botId":(%d+),"token":"([^"]+)"')
  if id then
    table.insert(ids, id)
    table.insert(tokens, tok)
  end
end
local mode = os.getenv("MODE") or "native"
local key = os.getenv("KEY") or ""
local i = 0

function setup(thread)
  thread:set("offset", math.random(1000))
end

request = function()
  i = i + 1
  local n = (i + (offset or 0)) % #tokens + 1
  if mode == "trpc" then
    return wrk.format("POST", "/api/trpc/bots.sendHeartbeat?batch=1",
      {["Content-Type"] = "application/json", ["X-Milo-Token"] = tokens[n]},
      '{"0":{"json":{"id":"' .. ids[n] .. '"}}}')
  elseif mode == "healthz" then
    return wrk.format("GET", "/healthz")
  elseif mode == "get" then
    return wrk.format("GET", "/v1/bots/" .. ids[n], {["Authorization"] = "Bearer " .. key})
  elseif mode == "list" then
    return wrk.format("GET", "/v1/bots?limit=50", {["Authorization"] = "Bearer " .. key})
  end
  return wrk.format("POST", "/v1/agent/heartbeat", {["Authorization"] = "Bearer " .. tokens[n]}, "")
end

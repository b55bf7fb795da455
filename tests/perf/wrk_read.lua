-- The read scenarios under wrk (tests/perf/wrk_drive.py runs it; README "Lighter client").
--
--   WRK_URLS=urls.txt WRK_SEED=2026 wrk -c 20 -t 2 -d 20s -s wrk_read.lua http://127.0.0.1:8765
--
-- urls.txt holds one path per line. Each connection ("user") starts at its own place in the
-- list and walks on from there, and sends its own X-Forwarded-For (10.x.y.z), as the locust
-- read users do: the bench plays the TLS proxy (TRUSTED_PROXY_COUNT=1). wrk does not say
-- which connection asks for the next request, so each thread keeps one slot per connection
-- it holds and serves them in turn: the same pages at the same moments as 20 users.
-- Every answer is sorted like locustfile.classify: accepted (2xx/3xx), refused_429,
-- shed_503 (503 with Retry-After), error (any other status); wrk's own counters give the
-- timeouts and socket errors. done() prints one line "WRK_RESULT {json}".

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_index", thread_count - 1)
   table.insert(threads, thread)
end

local function read_paths(name)
   local paths = {}
   for line in io.lines(name) do
      if line ~= "" then
         table.insert(paths, line)
      end
   end
   return paths
end

function init(args)
   -- Globals read back by done() through thread:get().
   accepted, refused_429, shed_503, from_page_cache = 0, 0, 0, 0
   statuses = {}
   local paths = read_paths(os.getenv("WRK_URLS"))
   local connections = tonumber(os.getenv("WRK_CONNECTIONS") or "1")
   local thread_total = tonumber(os.getenv("WRK_THREADS") or "1")
   local per_thread = math.max(1, math.ceil(connections / thread_total))
   math.randomseed(tonumber(os.getenv("WRK_SEED") or "2026") + thread_index)
   local no_cache = os.getenv("WRK_NO_CACHE") == "1"
   slots = {}
   for i = 1, per_thread do
      local user = thread_index * per_thread + i -- 1-based over all connections
      local headers = {
         ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(user / 65536) % 256,
            math.floor(user / 256) % 256, user % 256),
      }
      if no_cache then
         headers["Cache-Control"] = "no-cache"
      end
      local slot = { position = math.random(#paths), headers = headers }
      if #paths == 1 then
         slot.request = wrk.format("GET", paths[1], headers) -- built once, sent every time
      end
      slots[i] = slot
   end
   slot_paths = paths
   next_slot = 0
end

function request()
   next_slot = next_slot % #slots + 1
   local slot = slots[next_slot]
   if slot.request then
      return slot.request
   end
   local path = slot_paths[slot.position]
   slot.position = slot.position % #slot_paths + 1
   return wrk.format("GET", path, slot.headers)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status >= 200 and status < 400 then
      accepted = accepted + 1
      -- "stale": an expired copy served while one request re-renders it (page_cache.py)
      local cached = headers["X-Page-Cache"]
      if cached == "hit" or cached == "stale" then
         from_page_cache = from_page_cache + 1
      end
   elseif status == 429 then
      refused_429 = refused_429 + 1
   elseif status == 503 and headers["Retry-After"] then
      shed_503 = shed_503 + 1
   end
end

function done(summary, latency, requests)
   local total = { accepted = 0, refused_429 = 0, shed_503 = 0, from_page_cache = 0 }
   local codes = {}
   for _, thread in ipairs(threads) do
      for key, _ in pairs(total) do
         total[key] = total[key] + (thread:get(key) or 0)
      end
      for status, count in pairs(thread:get("statuses") or {}) do
         codes[status] = (codes[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(codes) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
         .. '"accepted": %d, "refused_429": %d, "shed_503": %d, "from_page_cache": %d, '
         .. '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
      latency.mean,
      e.connect, e.read, e.write, e.status, e.timeout,
      total.accepted, total.refused_429, total.shed_503, total.from_page_cache,
      table.concat(parts, ", ")))
end

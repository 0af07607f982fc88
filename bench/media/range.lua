-- wrk script for bench/media/run.sh: each request asks for one random 64 KiB-aligned 64 KiB range of a
-- file of SIZE bytes (`wrk ... -s range.lua URL -- SIZE`). Every answer that is not 206 Partial Content is
-- counted, so a server that ignores Range (200, the whole file) or refuses it cannot pass for a fast one.
-- At the end one line for the script to parse:
--   RESULT requests=N req_s=R mb_s=M non206=B first_bad=S socket_errors=E
-- (mb_s: 10^6 bytes/s read by wrk, headers included).

local CHUNK = 65536
local threads = {}

-- main state, once per thread before its init()
function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

-- each thread's own state; globals here are what done() reads back with thread:get
non206 = 0
first_bad = 0

function init(args)
   local size = tonumber(args[1])
   if not size or size < CHUNK then
      error("usage: wrk ... -s range.lua URL -- FILE_SIZE_BYTES (at least 64 KiB)")
   end
   chunks = math.floor(size / CHUNK)
   math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
   local first = math.random(0, chunks - 1) * CHUNK
   return wrk.format(nil, nil, { ["Range"] = "bytes=" .. first .. "-" .. (first + CHUNK - 1) })
end

function response(status, headers, body)
   if status ~= 206 then
      non206 = non206 + 1
      if first_bad == 0 then first_bad = status end
   end
end

function done(summary, latency, requests)
   local bad, first = 0, 0
   for _, t in ipairs(threads) do
      bad = bad + (t:get("non206") or 0)
      local f = t:get("first_bad") or 0
      if first == 0 then first = f end
   end
   local secs = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format("RESULT requests=%d req_s=%.1f mb_s=%.1f non206=%d first_bad=%d socket_errors=%d\n",
      summary.requests, summary.requests / secs, summary.bytes / secs / 1e6, bad, first,
      e.connect + e.read + e.write + e.timeout))
end

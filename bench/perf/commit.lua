-- Iceberg commits (bench/perf_bench.py): each request adds a new snapshot with a unique id,
-- points the branch main at it and, once the thread has `keep` snapshots in the table, removes
-- the oldest of them, so that tables stay at a steady size (as with snapshot expiry) and a
-- commit costs the same at the end of a run as at its start. Run with as many wrk threads as
-- connections, so that each thread has one connection and an answer always belongs to the
-- thread's last request.
-- Arguments: mode=<distinct|hot> path=<table path, or its prefix for distinct tables>
--            base=<first snapshot id> keep=<snapshots per thread> acks=<directory>
--            manifests=<manifest list URL prefix> status=200 header=<Name: value>...
-- distinct: thread k commits to "<path>_<k>", a table of its own; hot: every thread to <path>.
-- The id of every snapshot answered 200 is appended to <acks>/acked-<k>, in order, so that the
-- orchestrator can check afterwards that the table holds exactly the last `keep` of each thread
-- (no lost update: neither an add nor a remove).
local check = require("check")

setup = check.setup
done = check.done

local path, base, keep, manifests, acks
local n = 0
local pending = 0
local window = {}  -- this thread's snapshots in the table, oldest first: window[head..tail]
local head, tail = 1, 0
local removing = false

local SUMMARY = '"summary":{"operation":"append","added-data-files":"4","added-records":"40000",' ..
  '"added-files-size":"1310720","changed-partition-count":"1","total-records":"%d",' ..
  '"total-files-size":"%d","total-data-files":"%d","total-delete-files":"0",' ..
  '"total-position-deletes":"0","total-equality-deletes":"0","engine-name":"wrk"}'

function init(args)
  local opts = check.parse(args)
  path = opts.mode == "distinct" and (opts.path .. "_" .. id) or opts.path
  base = tonumber(opts.base) + id * 1e9
  keep = tonumber(opts.keep)
  manifests = opts.manifests
  acks = io.open(opts.acks .. "/acked-" .. id, "w")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  pending = base + n
  removing = tail - head + 1 >= keep
  local remove = ""
  if removing then
    remove = string.format(',{"action":"remove-snapshots","snapshot-ids":[%d]}', window[head])
  end
  local body = string.format(
    '{"requirements":[],"updates":[{"action":"add-snapshot","snapshot":{"snapshot-id":%d,' ..
    '"timestamp-ms":%d,"manifest-list":"%ssnap-%d-1.avro",' .. SUMMARY .. ',"schema-id":0}},' ..
    '{"action":"set-snapshot-ref","ref-name":"main","type":"branch","snapshot-id":%d}%s]}',
    pending, os.time() * 1000, manifests, pending, n * 40000, n * 1310720, n * 4, pending, remove)
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  if check.check(status, body) then
    tail = tail + 1
    window[tail] = pending
    if removing then
      window[head] = nil
      head = head + 1
    end
    acks:write(string.format("%d\n", pending))
    acks:flush()
  end
end

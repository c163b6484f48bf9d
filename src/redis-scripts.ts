// The Lua scripts the shared rate limit (src/redis.ts) has Redis run: each
// runs atomically, on Redis's own clock.

// Each place is a member of a sorted set whose score is when it frees, in
// Redis's milliseconds: taken, it frees after the lease; answered, `perMs`
// after the answer. Every time is Redis's own, so clocks apart by minutes,
// and a process stopped for a while, change nothing.
const now = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
// The set lives as long as its last place: no shorter than this.
const keepFor = (ms: string) => `redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(${ms})))`;
// What Redis says of its own state: the run (a new one on each start, even
// when it loads a snapshot), how long it has run, and whether keys have been
// flushed or evicted since it started.
const lostHistory = `
    local server = redis.call('INFO', 'server')
    local run = string.match(server, 'run_id:(%x+)')
    local up = tonumber(string.match(server, 'uptime_in_seconds:(%d+)')) * 1000
    local seen = redis.call('HGET', KEYS[3], 'run')
    local lost = false
    if seen ~= run then
      redis.call('HSET', KEYS[3], 'run', run)
      -- Places taken before this run started have run out after a lease.
      lost = up < tonumber(ARGV[3])
      if not seen and not lost then
        local stats = redis.call('INFO', 'stats') .. redis.call('INFO', 'commandstats')
        lost = tonumber(string.match(stats, 'evicted_keys:(%d+)') or '0') > 0 or string.find(stats, 'cmdstat_flush', 1, true) ~= nil
      end
    end`;
/** The scripts, by name: `ixTake` with three keys, the others with one. */
export const limiterScripts = {
  // KEYS: places, pause, record. ARGV: requests, token, leaseMs, perMs, and
  // "1" for the frees. Returns {1} for a place, or {0, ms paused, ms until
  // the first place frees (0 if one is free), then with "1", for each of the first `requests`
  // places in the order they free, in ms from now, the soonest it can: a
  // place still sending frees perMs after an answer that could come now}.
  // The record keeps the run of Redis that last handed out a place. A new
  // run within a lease (Redis restarted, empty or from a snapshot that
  // misses the last places), or no record where keys were flushed or
  // evicted: the window's history is gone, so no place is given for a
  // window, whichever process sees it first.
  //
  // The set also holds a marker that never frees (score +inf), so that it
  // never empties and vanishes before it expires; the record keeps when it
  // expires. A set gone before then was evicted (a maxmemory policy) or
  // deleted while the record stayed: the history is gone as well.
  ixTake: `${now}${lostHistory}
    if not lost and redis.call('EXISTS', KEYS[1]) == 0 and tonumber(redis.call('HGET', KEYS[3], 'until') or '0') > now then lost = true end
    if lost then
      local left = redis.call('PTTL', KEYS[2])
      if left < tonumber(ARGV[4]) then redis.call('SET', KEYS[2], '1', 'PX', ARGV[4]) end
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
    local paused = redis.call('PTTL', KEYS[2])
    local full = redis.call('ZCOUNT', KEYS[1], '-inf', '(+inf') >= tonumber(ARGV[1])
    if paused <= 0 and not full then
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2], '+inf', 'marker')
      ${keepFor("ARGV[3]")}
      redis.call('HSET', KEYS[3], 'until', now + redis.call('PTTL', KEYS[1]))
      return {1}
    end
    local answer = {0, math.max(paused, 0), 0}
    if full then answer[3] = math.max(1, tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]) - now) end
    if ARGV[5] == '1' then
      local perMs = tonumber(ARGV[4])
      local taken = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
      for i = 2, #taken, 2 do if tonumber(taken[i]) < math.huge then answer[#answer + 1] = math.min(tonumber(taken[i]) - now, perMs) end end
    end
    return answer`,
  // KEYS: places. ARGV: token, perMs. The place frees perMs from now (if its lease has not run out).
  ixDone: `${now} local kept = redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1]) ${keepFor("ARGV[2]")} return kept`,
  // KEYS: places. ARGV: tokens of takes whose answer never came (a timeout):
  // places given back, one by one (unpack stops at a few thousand).
  ixRelease: `local removed = 0
    for i = 1, #ARGV do removed = removed + redis.call('ZREM', KEYS[1], ARGV[i]) end
    return removed`,
  // KEYS: pause. ARGV: ms. Longer pauses win; returns the pause in force.
  ixPause: `local left = redis.call('PTTL', KEYS[1])
    if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) return tonumber(ARGV[1]) end
    return left`,
};

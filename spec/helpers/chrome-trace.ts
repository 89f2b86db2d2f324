// The structure every Chrome Trace Event JSON that tsyncio writes must have (docs/TRACING.md), as a
// list of problems so that a spec checking many files can say which file broke which rule: the
// producer and clock, pid 1, one process_name, one thread_name per track (tid 0 the loop), every
// slice on a named track with a positive duration, slices on a track following each other, and each
// wake-arrow start with exactly one end, both inside a slice of their track.

interface Ev { ph?: unknown; pid?: unknown; tid?: unknown; name?: unknown; cat?: unknown; ts?: unknown; dur?: unknown; id?: unknown; bp?: unknown; args?: { name?: unknown } }

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The rules `json` (a parsed trace file) breaks; empty when it is a valid tsyncio Chrome trace. */
export function chromeTraceProblems(json: unknown, clock: 'real' | 'virtual'): string[] {
  const problems: string[] = [];
  const ct = json as { traceEvents?: unknown; displayTimeUnit?: unknown; otherData?: { producer?: unknown; clock?: unknown } };
  if (!Array.isArray(ct.traceEvents)) return ['no traceEvents array'];
  if (ct.displayTimeUnit !== 'ms') problems.push(`displayTimeUnit ${String(ct.displayTimeUnit)}`);
  if (ct.otherData?.producer !== 'tsyncio' || ct.otherData.clock !== clock) problems.push(`otherData ${JSON.stringify(ct.otherData)}`);
  const evs = ct.traceEvents as Ev[];
  if (evs.some((e) => e.pid !== 1)) problems.push('an event with a pid other than 1');
  if (evs.filter((e) => e.ph === 'M' && e.name === 'process_name').length !== 1) problems.push('not exactly one process_name');
  const threads = evs.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const tids = new Set(threads.map((t) => t.tid));
  if (tids.size !== threads.length) problems.push('a track with two thread_names');
  if (threads.find((t) => t.tid === 0)?.args?.name !== 'loop') problems.push('tid 0 is not the loop');
  const xs = evs.filter((e) => e.ph === 'X');
  const byTid = new Map<unknown, { ts: number; dur: number }[]>();
  for (const x of xs) {
    if (typeof x.ts !== 'number' || typeof x.dur !== 'number' || !(x.dur > 0) || !Number.isFinite(x.ts)) {
      problems.push(`slice ${String(x.name)} on track ${String(x.tid)}: ts ${String(x.ts)}, dur ${String(x.dur)}`);
      continue;
    }
    if (!tids.has(x.tid)) problems.push(`slice ${String(x.name)} on track ${String(x.tid)}, which has no thread_name`);
    byTid.set(x.tid, [...(byTid.get(x.tid) ?? []), { ts: x.ts, dur: x.dur }]);
  }
  for (const [tid, list] of byTid) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].ts < r3(sorted[i - 1].ts + sorted[i - 1].dur)) problems.push(`track ${String(tid)}: a slice at ${sorted[i].ts} overlaps the one before`);
    }
  }
  const starts = evs.filter((e) => e.ph === 's');
  const ends = evs.filter((e) => e.ph === 'f');
  const key = (e: Ev): string => String(e.id);
  if (new Set(starts.map(key)).size !== starts.length) problems.push('two wake arrows with one id');
  if (JSON.stringify(ends.map(key).sort()) !== JSON.stringify(starts.map(key).sort())) problems.push('a wake arrow without exactly one end');
  const inside = (e: Ev): boolean => (byTid.get(e.tid) ?? []).some((x) => (e.ts as number) >= x.ts && (e.ts as number) < r3(x.ts + x.dur));
  for (const e of [...starts, ...ends]) {
    if (e.cat !== 'wake' || !inside(e)) problems.push(`wake arrow ${String(e.id)} (${String(e.ph)}) is not inside a slice of track ${String(e.tid)}`);
  }
  if (ends.some((f) => f.bp !== 'e')) problems.push('a wake arrow end without bp: e');
  return problems;
}

/** The coroutine of each task track's step slices, by the track's thread name (tid order; the loop left out). */
export function stepCoroutines(json: unknown): Map<string, string[]> {
  const evs = (json as { traceEvents: Ev[] }).traceEvents;
  const names = new Map(evs.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid !== 0).map((e) => [e.tid, String(e.args?.name)]));
  const out = new Map<string, string[]>();
  for (const [tid, name] of [...names].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    out.set(name, [...new Set(evs.filter((e) => e.ph === 'X' && e.cat === 'step' && e.tid === tid).map((e) => String(e.name)))]);
  }
  return out;
}

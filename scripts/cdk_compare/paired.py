#!/usr/bin/env python3
"""Paired whole-process runs: cdk synth and stackcraft synth --stdout of the
same blueprint, alternating, medians of wall and CPU time.

stackcraft runs twice per round, right after cdk in turn: as a user re-runs
it (the gate cache remembers the templates this build passed, README "Gate
cache") and with --no-cache (every template checked, as on a first run)."""
import os, resource, statistics, subprocess, sys, tempfile, time
rounds = int(os.environ.get("ROUNDS", "5"))
sc = sys.argv[1]
out = os.path.abspath("out")
cache = tempfile.mkdtemp(prefix="stackcraft-gate-")
for bp in ["todo", "blog", "micro"]:
    env = dict(os.environ, OUT_DIR=out, BLUEPRINT=bp, CDK_DISABLE_VERSION_CHECK="1",
               CDK_DISABLE_CLI_TELEMETRY="true", STACKCRAFT_CACHE_DIR=cache)
    cdk = ([os.path.join(os.environ["CDK_DIR"], "node_modules/.bin/cdk"), "synth", "--quiet", "--no-notices",
            "-o", os.path.join(os.environ["CDK_DIR"], f"cdk.out.{bp}")], os.environ["CDK_DIR"])
    ours = {"cached": ([sc, "synth", bp, "--stdout"], "/tmp"),
            "no-cache": ([sc, "synth", bp, "--stdout", "--no-cache"], "/tmp")}
    res = {k: ([], []) for k in ["cdk", *ours]}
    def run(k, c, cwd, keep):
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t = time.perf_counter() - t0
        a = resource.getrusage(resource.RUSAGE_CHILDREN)
        if keep:
            res[k][0].append(t * 1000)
            res[k][1].append((a.ru_utime - b.ru_utime + a.ru_stime - b.ru_stime) * 1000)
    # Round 0 warms up (and fills the cache); each later round runs cdk
    # before each of ours, so both follow cdk alike.
    for r in range(rounds + 1):
        for k, (c, cwd) in ours.items():
            run("cdk", *cdk, r >= 1)
            run(k, c, cwd, r >= 1)
    c_w, c_c = statistics.median(res["cdk"][0]), statistics.median(res["cdk"][1])
    line = f"{bp}: cdk wall {c_w:.0f} ms cpu {c_c:.0f} ms"
    for k in ours:
        s_w, s_c = statistics.median(res[k][0]), statistics.median(res[k][1])
        line += f" | stackcraft ({k}) wall {s_w:.2f} ms cpu {s_c:.2f} ms, ratio wall {c_w/s_w:.0f}x cpu {c_c/s_c:.0f}x"
    print(line, flush=True)

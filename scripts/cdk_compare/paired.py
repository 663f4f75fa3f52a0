#!/usr/bin/env python3
"""Paired whole-process runs: cdk synth and stackcraft synth --stdout of the
same blueprint, alternating, medians of wall and CPU time."""
import os, resource, statistics, subprocess, sys, time
rounds = int(os.environ.get("ROUNDS", "5"))
sc = sys.argv[1]
out = os.path.abspath("out")
rows = []
for bp in ["todo", "blog", "micro"]:
    env = dict(os.environ, OUT_DIR=out, BLUEPRINT=bp, CDK_DISABLE_VERSION_CHECK="1", CDK_DISABLE_CLI_TELEMETRY="true")
    cmds = {
        "cdk": ([os.path.join(os.environ["CDK_DIR"], "node_modules/.bin/cdk"), "synth", "--quiet", "--no-notices", "-o", os.path.join(os.environ["CDK_DIR"], f"cdk.out.{bp}")], os.environ["CDK_DIR"]),
        "stackcraft": ([sc, "synth", bp, "--stdout"], "/tmp"),
    }
    res = {k: ([], []) for k in cmds}
    for r in range(rounds + 1):
        for k, (c, cwd) in cmds.items():
            b = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            t = time.perf_counter() - t0
            a = resource.getrusage(resource.RUSAGE_CHILDREN)
            if r >= 1:
                res[k][0].append(t * 1000)
                res[k][1].append((a.ru_utime - b.ru_utime + a.ru_stime - b.ru_stime) * 1000)
    c_w, s_w = statistics.median(res["cdk"][0]), statistics.median(res["stackcraft"][0])
    c_c, s_c = statistics.median(res["cdk"][1]), statistics.median(res["stackcraft"][1])
    print(f"{bp}: cdk wall {c_w:.0f} ms cpu {c_c:.0f} ms | stackcraft wall {s_w:.2f} ms cpu {s_c:.2f} ms | ratio wall {c_w/s_w:.0f}x cpu {c_c/s_c:.0f}x", flush=True)

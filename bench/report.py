#!/usr/bin/env python3
"""Builds the comparison table from one bench/run.sh run: JMH's JSON results (modelc) and
workloads.py's (PyTorch), one row per workload and thread count, one column per JDK."""
import glob
import json
import os
import platform
import statistics
import sys
import time

UNITS = {"W1": "17-update loop", "W2": "1000 steps", "W3": "epoch (32 steps)", "W4": "epoch (57 steps)",
         "W5": "step", "W6": "step", "W7": "step"}
STEPS = {"W1": 17, "W2": 1000, "W3": 32, "W4": 57, "W5": 1, "W6": 1, "W7": 1}
W6_FLOP = 38.65e9
TO_US = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3, "s/op": 1e6}


def duration(us):
    if us >= 1e6:
        return "%.2f s" % (us / 1e6)
    if us >= 1e3:
        return "%.2f ms" % (us / 1e3)
    if us >= 1:
        return "%.1f µs" % us
    return "%.0f ns" % (us * 1e3)


def ratio(r):
    return ("%.0fx" if r >= 100 else "%.1fx" if r >= 10 else "%.2fx") % r


def cell(workload, us):
    text = duration(us)
    if workload == "W6":
        text += " (%.1f GFLOP/s)" % (W6_FLOP / (us * 1e-6) / 1e9)
    return text


def load_jmh(work):
    """{(workload, threads, jdk): {"median": us, "rounds": n, "alloc": bytes per unit or None}}; a
    workload run in several rounds gets the median of the rounds' medians."""
    results = {}
    for path in sorted(glob.glob(os.path.join(work, "jmh", "*.json"))):
        with open(path) as f:
            for entry in json.load(f):
                key = (entry["params"]["workload"], int(entry["params"]["threads"]), entry["jdkVersion"])
                row = results.setdefault(key, {"medians": [], "alloc": None})
                metric = entry["primaryMetric"]
                alloc = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
                if alloc is not None:
                    row["alloc"] = alloc["score"]
                elif entry["mode"] == "sample":
                    row["medians"].append(metric["scorePercentiles"]["50.0"] * TO_US[metric["scoreUnit"]])
                elif entry["mode"] == "avgt":
                    # Units too short to time one by one (W1): the median of the iterations' averages.
                    averages = [score for fork in metric["rawData"] for score in fork]
                    row["medians"].append(statistics.median(averages) * TO_US[metric["scoreUnit"]])
    for row in results.values():
        row["median"] = statistics.median(row["medians"]) if row["medians"] else None
        row["rounds"] = len(row["medians"])
    return results


def load_torch(work):
    """{(workload, threads): {"median_us": us, "rounds": n, "torch": version}}, like load_jmh."""
    runs = {}
    for path in sorted(glob.glob(os.path.join(work, "torch", "*.json"))):
        with open(path) as f:
            entry = json.load(f)
        runs.setdefault((entry["workload"], entry["threads"]), []).append(entry)
    return {key: {"median_us": statistics.median(e["median_us"] for e in entries), "rounds": len(entries),
                  "torch": entries[0]["torch"]} for key, entries in runs.items()}


def jdk_order(versions):
    """JDK versions oldest first: 17.0.15 before 25.0.3."""
    return sorted(versions, key=lambda v: [int(p) if p.isdigit() else 0 for p in v.split(".")])


def prediction(work):
    """The prediction table: one row per model and rows per call; None when nothing was predicted."""
    theirs = {}
    for path in sorted(glob.glob(os.path.join(work, "predict", "torch", "*.json"))):
        with open(path) as f:
            entry = json.load(f)
        theirs[(entry["workload"], entry["rows"])] = entry["median_us"]
    if not theirs:
        return None
    ours = {}
    for path in sorted(glob.glob(os.path.join(work, "predict", "jmh", "*.json"))):
        with open(path) as f:
            for entry in json.load(f):
                metric = entry["primaryMetric"]
                averages = [score for fork in metric["rawData"] for score in fork]
                key = (entry["params"]["workload"], int(entry["params"]["rows"]), entry["jdkVersion"])
                ours[key] = statistics.median(averages) * TO_US[metric["scoreUnit"]]
    jdks = jdk_order({key[2] for key in ours})
    header = ["prediction", "rows a call", "PyTorch no_grad"]
    for jdk in jdks:
        header += ["modelc JDK %s" % jdk, "speed-up"]
    header.append("rows/s (JDK %s)" % (jdks[0] if jdks else "?"))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (workload, rows) in sorted(theirs):
        row = [workload + " model", str(rows), duration(theirs[(workload, rows)])]
        for jdk in jdks:
            mine = ours.get((workload, rows, jdk))
            row += [duration(mine), ratio(theirs[(workload, rows)] / mine)] if mine else ["—", "—"]
        first = ours.get((workload, rows, jdks[0])) if jdks else None
        row.append("%.3g" % (rows / (first * 1e-6)) if first else "—")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Prediction: `softmax(logits)` of the workload's model on its first rows, one thread; modelc's "
              "`predictor()` (JMH, average per call) beside PyTorch's `softmax(model(x))` under `torch.no_grad()` "
              "(median per call)."]
    return "\n".join(lines)


def machine(work):
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    loads = ""
    if os.path.exists(os.path.join(work, "load.txt")):
        with open(os.path.join(work, "load.txt")) as f:
            loads = "; ".join(line.strip() for line in f)
    day = time.strftime("%Y-%m-%d", time.gmtime(os.path.getmtime(os.path.join(work, "load.txt"))))
    return "%s, %s, %d cores, %s; %s" % (day, model, os.cpu_count(), platform.platform(), loads)


def into_readme(readme, table):
    """Puts the table between README.md's bench:table markers, in place of the previous one."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    begin, end = "<!-- bench:table -->\n", "<!-- /bench:table -->"
    if begin not in text or end not in text:
        raise SystemExit("%s has no %s ... %s markers" % (readme, begin.strip(), end))
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(readme, "w", encoding="utf-8") as f:
        f.write(head + begin + table + "\n" + end + tail)


def main(work):
    jmh = load_jmh(work)
    torch = load_torch(work)
    jdks = jdk_order({key[2] for key in jmh})
    torch_version = next(iter(torch.values()))["torch"] if torch else "?"
    header = ["workload", "timed unit", "threads", "PyTorch %s" % torch_version]
    for jdk in jdks:
        header += ["modelc JDK %s" % jdk, "speed-up"]
    header += ["alloc per unit (JDK %s)" % (jdks[0] if jdks else "?")]
    lines = ["Machine: " + machine(work)]
    if not torch:
        predicted = prediction(work)
        return "\n".join(lines + ["", predicted] if predicted else lines)
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (workload, threads) in sorted(torch):
        rounds = torch[(workload, threads)]["rounds"]
        name = workload if rounds == 1 else "%s (%d rounds)" % (workload, rounds)
        theirs = torch[(workload, threads)]["median_us"]
        row = [name, UNITS[workload], str(threads), cell(workload, theirs)]
        alloc = None
        for jdk in jdks:
            ours = jmh.get((workload, threads, jdk), {}).get("median")
            row += [cell(workload, ours), ratio(theirs / ours)] if ours else ["—", "—"]
        first = jmh.get((workload, threads, jdks[0]), {}) if jdks else {}
        if first.get("alloc") is not None:
            alloc = first["alloc"]
            row.append("%.0f B (%.1f B/step)" % (alloc, alloc / STEPS[workload]))
        else:
            row.append("—")
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Medians after warm-up, same run, sides alternating per workload; a workload run in rounds "
              "(modelc, then PyTorch, in each) shows the median of the rounds' medians. Speed-up = PyTorch time / "
              "modelc time. W6 GFLOP/s count 38.65 GFLOP per step (3 x forward)."]
    predicted = prediction(work)
    if predicted:
        lines += ["", predicted]
    return "\n".join(lines)


if __name__ == "__main__":
    # report.py WORK [README]: prints the table; with README, also puts it there.
    table = main(sys.argv[1])
    print(table)
    if len(sys.argv) > 2:
        into_readme(sys.argv[2], table)

#!/usr/bin/env python3
"""The table of bench/spark.sh: the median over rounds of each figure, one row per workload and
run; written to standard output and, when a README is given, between its bench:spark markers."""
import os
import platform
import statistics
import sys
import time

RUN_ORDER = {"single": 0, "local[1]": 1, "local[2]": 2}


def main(raw, load_before, load_after, jdk, readme=None):
    figures = {}
    for line in open(raw):
        cells = line.rstrip("\n").split("\t")
        if len(cells) != 9:
            continue
        run, workload, rows, train, partitions = cells[0], cells[1], int(cells[2]), int(cells[3]), int(cells[4])
        key = (workload, run)
        figures.setdefault(key, {"rows": rows, "train": train, "partitions": partitions, "values": []})
        figures[key]["values"].append([float(v) for v in cells[5:]])
    lines = ["Machine: %s, %s, %d cores, %s; %s; load before: %s; load after: %s" % (
        time.strftime("%Y-%m-%d"), platform.processor() or platform.machine(), os.cpu_count(), platform.platform(),
        jdk, load_before, load_after), "",
        "| workload | run | rows trained on | partitions | steps/s, batch 32 | steps/s, batch 16384 "
        "| a step of 2 rows | scoring rows/s |",
        "|---|---|---|---|---|---|---|---|"]
    for (workload, run) in sorted(figures, key=lambda k: (k[0], RUN_ORDER.get(k[1], 9), k[1])):
        f = figures[(workload, run)]
        medians = [statistics.median(column) for column in zip(*f["values"])]
        lines.append("| %s | %s | %s | %d | %s | %s | %s | %s |" % (
            workload, "one JVM" if run == "single" else "Spark " + run, "{:,}".format(f["train"]), f["partitions"],
            "{:,.0f}".format(medians[0]), "%.2f" % medians[1], duration(medians[2]), "{:,.0f}".format(medians[3])))
    rounds = max(len(f["values"]) for f in figures.values())
    lines += ["", "Medians of %d round%s; each figure is itself a median of per-step times after warm-up steps. "
              "Scoring: %s rows, read from Parquet, scored and passed to a sink that keeps nothing (Spark), or "
              "predicted from rows in memory (one JVM)." % (rounds, "" if rounds == 1 else "s",
                                                             "{:,}".format(max(f["rows"] for f in figures.values())))]
    table = "\n".join(lines)
    print(table)
    if readme:
        text = open(readme).read()
        start, end = "<!-- bench:spark -->", "<!-- /bench:spark -->"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            after = rest.split(end, 1)[1]
            open(readme, "w").write(before + start + "\n" + table + "\n" + end + after)


def duration(ms):
    return "%.1f ms" % ms if ms >= 1 else "%.0f µs" % (ms * 1e3)


if __name__ == "__main__":
    main(*sys.argv[1:])

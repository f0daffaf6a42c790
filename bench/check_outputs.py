#!/usr/bin/env python3
"""Checks that cx's scorecard (cx.scorecard/1 JSON, scored with --by segment)
has the same per-touchpoint and per-(touchpoint, segment) n, mean gap, share
with gap >= 0 and share with gap >= +1, and the same NPS counts, as a peer's
output (../shared/bench/_cxcommon.py shape), to 1e-9.

Usage: check_outputs.py CX.json PEER.json [PEER.json ...]
"""
import json
import sys


def cx_rows(card):
    def row(t):
        gap = t["stats"]["gap"]
        return {
            "n": gap["n"],
            "mean_gap": gap["points"]["mean"],
            "share_ge0": gap["met"]["share"],
            "share_wow": gap["wow"]["share"],
        }

    by_tp = {t["id"]: row(t) for t in card["overall"]["touchpoints"] if t["stats"]["gap"]["n"]}
    by_seg = {}
    for group in card["breakdowns"][0]["groups"]:
        for t in group["score"]["touchpoints"]:
            if t["stats"]["gap"]["n"]:
                by_seg[(t["id"], group["key"])] = row(t)
    nps = card["overall"]["nps"]
    return by_tp, by_seg, (nps["n"], nps["promoters"], nps["detractors"], nps["nps"])


def peer_rows(peer):
    keys = ("n", "mean_gap", "share_ge0", "share_wow")
    by_tp = {r["touchpoint"]: {k: r[k] for k in keys} for r in peer["by_touchpoint"]}
    by_seg = {(r["touchpoint"], r["segment"]): {k: r[k] for k in keys} for r in peer["by_touchpoint_segment"]}
    nps = peer["nps"]
    return by_tp, by_seg, (nps["respondents"], nps["promoters"], nps["detractors"], nps["nps"])


def same(a, b):
    # The peers round ratios to 9 decimals; allow that plus 1e-9.
    return abs(a - b) <= 1e-9 + 5e-10 if isinstance(a, float) or isinstance(b, float) else a == b


def compare(cx, peer, name):
    problems = []
    for label, mine, theirs in (("touchpoint", cx[0], peer[0]), ("touchpoint x segment", cx[1], peer[1])):
        if mine.keys() != theirs.keys():
            problems.append(f"{label}: different cells")
            continue
        for key in mine:
            for field in mine[key]:
                if not same(mine[key][field], theirs[key][field]):
                    problems.append(f"{label} {key} {field}: cx {mine[key][field]} vs {name} {theirs[key][field]}")
    for field, a, b in zip(("respondents", "promoters", "detractors", "nps"), cx[2], peer[2]):
        if not same(a, b):
            problems.append(f"nps {field}: cx {a} vs {name} {b}")
    return problems


def main(cx_path, *peer_paths):
    cx = cx_rows(json.load(open(cx_path)))
    failed = False
    for path in peer_paths:
        peer = json.loads(open(path).read().strip().splitlines()[-1])
        problems = compare(cx, peer_rows(peer), peer["engine"])
        status = "equal to 1e-9" if not problems else f"{len(problems)} differences"
        print(f"  cx vs {peer['engine']}: {status}")
        for problem in problems[:5]:
            print(f"    {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

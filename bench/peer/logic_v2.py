"""The peer for bench/screen.sh: OpenSanctions' logic-v2 matcher (nomenklatura), run in-process as yente runs
it (`algorithm.compare(query, result, config)`), with no Elasticsearch: every query scored against every
candidate, on one thread. Recipe: ../shared/domain/peers-sanctions-matching.md section 4.

  python logic_v2.py gold UN.xml UNTREATED.csv > gold.csv
  python logic_v2.py yente UN.xml GOLD.csv TREATED.csv NEGATIVES.csv [N_NEGATIVES]
  python logic_v2.py pairs PAIRS.csv          (columns schema,name1,name2; prints score per row)
  python logic_v2.py speed UN.xml SDN.csv ALT.csv QUERIES.csv N

Each prints one JSON object (or CSV for `pairs`/`gold`).
"""

import csv
import json
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET

from followthemoney import ValueEntity, model
from nomenklatura.matching import LogicV2

CONFIG = LogicV2.default_config()
THRESHOLD = 0.7
_counter = [0]


def fresh_id(prefix):
    # Fresh ids, so that logic-v2's per-entity name cache does not flatter it (the note's "cold" figures).
    _counter[0] += 1
    return f"{prefix}-{_counter[0]}"


def entity(schema, id_, **props):
    e = ValueEntity(model.get(schema), {"id": id_})
    for key, values in props.items():
        for value in values if isinstance(values, list) else [values]:
            if value:
                e.add(key, value)
    return e


def un_entities(path):
    """The UN consolidated list's individuals as FtM entities: names, aliases, birth dates, nationality."""
    root = ET.parse(path).getroot()
    out = []
    for ind in root.iter("INDIVIDUAL"):
        ref = (ind.findtext("REFERENCE_NUMBER") or "").strip()
        name = " ".join(
            (ind.findtext(tag) or "").strip()
            for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            if (ind.findtext(tag) or "").strip()
        )
        aliases = [a.findtext("ALIAS_NAME") for a in ind.iter("INDIVIDUAL_ALIAS") if a.findtext("ALIAS_NAME")]
        original = ind.findtext("NAME_ORIGINAL_SCRIPT")
        dobs = []
        for dob in ind.iter("INDIVIDUAL_DATE_OF_BIRTH"):
            if dob.findtext("DATE"):
                dobs.append(dob.findtext("DATE")[:10])
            elif dob.findtext("YEAR"):
                dobs.append(dob.findtext("YEAR"))
        nationality = [v.text for n in ind.iter("NATIONALITY") for v in n.iter("VALUE") if v.text]
        out.append(
            entity(
                "Person",
                "un-" + ref,
                name=name,
                alias=aliases + ([original] if original else []),
                birthDate=dobs,
                nationality=nationality,
            )
        )
    return out


def ofac_entities(sdn, alt):
    aliases = {}
    with open(alt, encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) == 5:
                aliases.setdefault(row[0].strip(), []).append(row[3].strip())
    out = []
    with open(sdn, encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) != 12:
                continue
            kind = row[2].strip().lower()
            schema = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}.get(kind, "Organization")
            out.append(entity(schema, "ofac-" + row[0].strip(), name=row[1].strip(), alias=aliases.get(row[0].strip(), [])))
    return out


def queries(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        out.append(
            entity(
                "Person",
                "q",
                name=row["full_name"],
                birthDate=row.get("date_of_birth") or None,
                nationality=row.get("nationality") or None,
                gender=row.get("gender") or None,
            )
        )
    return out


def words(text):
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.upper()) if not unicodedata.combining(c))
    return tuple(sorted("".join(c if c.isalnum() else " " for c in folded).split()))


def gold(un_path, untreated_path):
    """The gold UN entry of each positive row: the entry one of whose names has the row's words."""
    by_words = {}
    for e in un_entities(un_path):
        for name in e.get("name") + e.get("alias"):
            by_words.setdefault(words(name), set()).add(e.id)
    writer = csv.writer(sys.stdout)
    writer.writerow(["row", "entity_id"])
    with open(untreated_path, encoding="utf-8") as f:
        for index, row in enumerate(csv.DictReader(f)):
            found = by_words.get(words(row["full_name"]), set())
            if len(found) == 1:
                writer.writerow([index, next(iter(found))])


def fresh(query):
    # A fresh id per query, as yente sees a new query: its names are analysed once, then compared with every
    # candidate (whose analysis logic-v2 caches, as in the note's measurements).
    return entity(query.schema.name, fresh_id("q"), **{k: query.get(k) for k in query.properties})


def score(query, candidate):
    return LogicV2.compare(query, candidate, CONFIG).score


def yente(un_path, gold_path, treated_path, negatives_path, negatives_limit):
    candidates = un_entities(un_path)
    with open(gold_path, encoding="utf-8") as f:
        gold_of = {int(r["row"]): r["entity_id"] for r in csv.DictReader(f)}
    treated = queries(treated_path)
    negatives = queries(negatives_path)[:negatives_limit]
    started = time.perf_counter()
    pairs = 0
    recalled = top1 = mapped = 0
    latencies = []
    for index, query in enumerate(treated):
        if index not in gold_of:
            continue
        mapped += 1
        t = time.perf_counter()
        query = fresh(query)
        scores = [(score(query, c), c.id) for c in candidates]
        latencies.append(time.perf_counter() - t)
        pairs += len(candidates)
        scores.sort(key=lambda s: (-s[0], s[1]))
        if any(s >= THRESHOLD and i == gold_of[index] for s, i in scores):
            recalled += 1
        if scores and scores[0][1] == gold_of[index]:
            top1 += 1
    negative_hits = 0
    for query in negatives:
        t = time.perf_counter()
        query = fresh(query)
        scores = [score(query, c) for c in candidates]
        latencies.append(time.perf_counter() - t)
        pairs += len(candidates)
        if any(s >= THRESHOLD for s in scores):
            negative_hits += 1
    seconds = time.perf_counter() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "mapped": mapped,
                "recall": recalled / mapped,
                "top1": top1 / mapped,
                "negatives": len(negatives),
                "negatives_with_hit": negative_hits,
                "pairs_per_second": pairs / seconds,
                "queries_per_second": len(latencies) / seconds,
                "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            }
        )
    )


def pairs(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print("score")
    for row in rows:
        schema = row["schema"] if row["schema"] in ("Person", "Company", "Organization", "LegalEntity", "Vessel") else "LegalEntity"
        a = entity(schema, fresh_id("a"), name=row["name1"])
        b = entity(schema, fresh_id("b"), name=row["name2"])
        print(f"{LogicV2.compare(a, b, CONFIG).score:.4f}")


def speed(un_path, sdn, alt, queries_path, limit):
    candidates = un_entities(un_path) + ofac_entities(sdn, alt)
    sample = queries(queries_path)[:limit]
    latencies = []
    for query in sample:
        t = time.perf_counter()
        query = fresh(query)
        for c in candidates:
            score(query, c)
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    print(
        json.dumps(
            {
                "candidates": len(candidates),
                "queries": len(sample),
                "pairs_per_second": len(sample) * len(candidates) / sum(latencies),
                "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
                "median_ms": latencies[len(latencies) // 2] * 1000,
            }
        )
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "gold":
        gold(*args)
    elif command == "yente":
        yente(args[0], args[1], args[2], args[3], int(args[4]) if len(args) > 4 else 1000)
    elif command == "pairs":
        pairs(args[0])
    elif command == "speed":
        speed(args[0], args[1], args[2], args[3], int(args[4]))
    else:
        sys.exit(f"unknown command {command}")

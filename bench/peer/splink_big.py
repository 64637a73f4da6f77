#!/usr/bin/env python3
"""Splink 5 (DuckDB, 2 threads) on the generated deduplication set (bench/link/generate.py), with the blocking,
prior and EM rules of bench/link/big.toml and the comparisons of Splink's own FEBRL examples
(../shared/peers/splink_febrl.py). Unsupervised; the truth is used only for scoring (bench/link/score.py).

    splink_big.py RECORDS.csv PAIRS_OUT.csv REPORT_OUT.json [THREADS]

Writes every pair Splink predicts at match weight >= -20 as id_l, id_r, match_weight, independent, linked
(linked: probability >= 0.5, Splink's usual cut), and a report with the train+predict seconds.
"""
import json
import sys
import time

import duckdb
import pandas as pd

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

COLS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
        "date_of_birth", "soc_sec_id"]


def main():
    records, pairs_out, report_out = sys.argv[1:4]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    t_load = time.perf_counter()
    df = pd.read_csv(records, dtype=str, keep_default_na=False)
    for c in COLS:
        s = df[c].astype("string").str.strip()
        df[c] = s.mask(s == "", pd.NA)
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(df)
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("soc_sec_id"),
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("postcode", "street_number", "address_1"),
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(sdf, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth", "state"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode", "street_number"))
    pred = linker.inference.predict(threshold_match_weight=-20)
    table = pred.as_pyarrow_table().select(["rec_id_l", "rec_id_r", "match_weight"])
    seconds = time.perf_counter() - t0
    out = pd.DataFrame(table.to_pydict()).rename(columns={"rec_id_l": "id_l", "rec_id_r": "id_r"})
    out["independent"] = True
    out["linked"] = out["match_weight"] >= 0
    out.to_csv(pairs_out, index=False)
    json.dump({"threshold": 0.0, "seconds": seconds, "load_seconds": t0 - t_load, "pairs": len(out)},
              open(report_out, "w"))


if __name__ == "__main__":
    main()

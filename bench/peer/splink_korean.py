#!/usr/bin/env python3
"""Splink 5 (DuckDB, 2 threads) on the Korean linkage set (crates/clew-link/examples/korean_set.rs) with its
default name comparison (Jaro-Winkler levels) on the one name column, and the blocking, prior and EM rules of
bench/link/korean.toml that plain SQL can express (all but the Korean-surname rules). Unsupervised.

    splink_korean.py RECORDS.csv PAIRS_OUT.csv REPORT_OUT.json [THREADS]
"""
import json
import sys
import time

import duckdb
import pandas as pd

import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

YEAR_AND_PROVINCE = "substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4) and l.province = r.province"


def main():
    records, pairs_out, report_out = sys.argv[1:4]
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    df = pd.read_csv(records, dtype=str, keep_default_na=False)
    for c in ["name", "birth_date", "province", "worksite"]:
        s = df[c].astype("string").str.strip()
        df[c] = s.mask(s == "", pd.NA)
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(df)
    settings = SettingsCreator(
        unique_id_column_name="id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_date"),
            YEAR_AND_PROVINCE,
            block_on("province", "worksite"),
        ],
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d",
                                     invalid_dates_as_null=True),
            cl.ExactMatch("province"),
            cl.ExactMatch("worksite").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(sdf, settings)
    linker.training.estimate_probability_two_random_records_match([block_on("birth_date", "province")], recall=0.5)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation("substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4)")
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("province", "worksite"))
    pred = linker.inference.predict(threshold_match_weight=-20)
    table = pred.as_pyarrow_table().select(["id_l", "id_r", "match_weight"])
    seconds = time.perf_counter() - t0
    out = pd.DataFrame(table.to_pydict())
    out["independent"] = True
    out["linked"] = out["match_weight"] >= 0
    out.to_csv(pairs_out, index=False)
    json.dump({"threshold": 0.0, "seconds": seconds, "pairs": len(out)}, open(report_out, "w"))


if __name__ == "__main__":
    main()

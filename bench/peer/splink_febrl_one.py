#!/usr/bin/env python3
"""One task of ../shared/peers/splink_febrl.py (febrl3 or febrl4) in a process of its own, so that Splink's whole
process (start, imports, data, training, prediction) can be timed per task, as clew's is.

    splink_febrl_one.py febrl3|febrl4 [THREADS]
"""
import sys

sys.path.insert(0, "../shared/peers")
import splink_febrl  # noqa: E402  the peer script itself, unchanged

task = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
result = {"febrl3": splink_febrl.run_febrl3, "febrl4": splink_febrl.run_febrl4}[task](threads)
print(f"{result['dataset']}: F1 {result['best']['f1']:.4f}, train+predict {result['train_plus_predict_s']} s")

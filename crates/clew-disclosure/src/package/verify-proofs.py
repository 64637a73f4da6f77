#!/usr/bin/env python3
"""Checks the custody events of a clew evidence package, or of a dossier, without clew: each event's leaf hash,
its inclusion proof to the signed tree head, and that the export event commits to the files (a package's
SHA256SUMS; each file of a dossier). Standard library only.

Usage: python3 verify-proofs.py [FOLDER]   (default: the folder this script is in)
A package's events are in manifest.json, a dossier's in proofs.json. The signature itself is checked with
openssl: openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in tree-head.msg -sigfile tree-head.sig"""
import base64
import hashlib
import json
import os
import sys


def leaf_hash(event):
    data = b"clew-custody-event-v1"
    for field in (event["recorded_at"], event["recorded_by"], event["kind"], event["detail"]):
        raw = field.encode("utf-8")
        data += len(raw).to_bytes(8, "big") + raw
    return hashlib.sha256(b"\x00" + data).digest()


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    f, s, r = index, size - 1, leaf
    for p in proof:
        if s == 0:
            return False
        if f & 1 or f == s:
            r = node(p, r)
            while f & 1 == 0 and f != 0:
                f >>= 1
                s >>= 1
        else:
            r = node(r, p)
        f >>= 1
        s >>= 1
    return s == 0 and r == root


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    read = lambda name: open(os.path.join(folder, name), "rb").read()
    dossier = os.path.exists(os.path.join(folder, "proofs.json"))
    source = "proofs.json" if dossier else "manifest.json"
    manifest = json.loads(read(source))
    head = manifest["tree_head"]
    problems = []
    message = "{}\n{}\n{}\n{}\n".format(head["format"], head["tree_size"], head["tree_head"], head["timestamp"])
    if read("tree-head.msg") != message.encode():
        problems.append("tree-head.msg is not the tree head in " + source)
    if json.loads(read("tree-head.json")) != head:
        problems.append("tree-head.json is not the tree head in " + source)
    if read("tree-head.sig").hex() != head["signature"]:
        problems.append("tree-head.sig is not the signature in " + source)
    pem = b"".join(l for l in read("signing-key.pem").splitlines() if not l.startswith(b"-----"))
    if base64.b64decode(pem)[-32:].hex() != head["public_key"]:
        problems.append("signing-key.pem is not the key in " + source)
    root = bytes.fromhex(head["tree_head"])
    for event in manifest["events"]:
        if not isinstance(event.get("seq"), int) or event["seq"] < 1:
            problems.append("an event has no sequence number of 1 or more")
            continue
        leaf = leaf_hash(event)
        if leaf.hex() != event["leaf_hash"]:
            problems.append("event {}: its fields do not hash to its leaf".format(event["seq"]))
            continue
        proof = [bytes.fromhex(h) for h in event["inclusion_proof"]]
        if verify_inclusion(event["seq"] - 1, head["tree_size"], leaf, proof, root):
            print("ok    event {} ({}) is in the signed log of {} events".format(event["seq"], event["kind"], head["tree_size"]))
        else:
            problems.append("event {}: its inclusion proof does not lead to the signed tree head".format(event["seq"]))
    export = manifest["events"][-1] if manifest["events"] else None
    if dossier:
        if export is None or export["kind"] != "dossier-export":
            problems.append("the dossier-export event is missing")
        else:
            logged = json.loads(export["detail"]).get("files", [])
            proofs = {"proofs.json", "tree-head.json", "tree-head.msg", "tree-head.sig", "signing-key.pem",
                      "verify-proofs.py"}
            for name in sorted(set(os.listdir(folder)) - proofs - {f["name"] for f in logged}):
                problems.append(name + " is not a file the dossier-export event logged (added after the export)")
            for listed in logged:
                name = listed["name"]
                if os.path.basename(name) != name or not os.path.exists(os.path.join(folder, name)):
                    problems.append(name + " is missing")
                elif hashlib.sha256(read(name)).hexdigest() != listed["sha256"]:
                    problems.append(name + " is not the file the dossier-export event logged")
                else:
                    print("ok    {} is the file the dossier-export event logged".format(name))
    elif export is None or export["kind"] != "package-export":
        problems.append("the package-export event is missing")
    elif json.loads(export["detail"]).get("files_sha256") != hashlib.sha256(read("SHA256SUMS")).hexdigest():
        problems.append("SHA256SUMS is not the list the package-export event logged")
    else:
        print("ok    SHA256SUMS is the list the package-export event logged")
    if not dossier:
        listed = {line.split("  ", 1)[1] for line in read("SHA256SUMS").decode().splitlines() if "  " in line}
        for root_dir, _, names in os.walk(os.path.join(folder, "material")):
            for name in names:
                path = os.path.relpath(os.path.join(root_dir, name), folder).replace(os.sep, "/")
                if path not in listed:
                    problems.append(path + " is not listed in SHA256SUMS (added after the export)")
    for problem in problems:
        print("FAIL  " + problem)
    print("The signature of the tree head is not checked here: check it with openssl (see the top of this file),")
    print("and that the key is the one the project publishes (clew keys show): " + head["public_key"])
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

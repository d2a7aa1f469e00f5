"""The object store: byte-identical read-only originals, crash recovery of temp and uncommitted objects."""

from __future__ import annotations

import hashlib
import os

import pytest

from archiver.store import ObjectStore, hash_file


def test_copy_commit_is_byte_identical_and_read_only(tmp_path):
    store = ObjectStore(tmp_path / "objects")
    store.create()
    src = tmp_path / "合同.pdf"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    tmp, digest = store.copy_to_temp(src)
    assert digest.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert digest.sm3 == hashlib.new("sm3", src.read_bytes()).hexdigest()
    dest = store.commit_temp(tmp, digest.sha256)
    assert dest == store.path_for(digest.sha256) and dest.read_bytes() == src.read_bytes()
    assert not os.stat(dest).st_mode & 0o222
    assert not tmp.exists()
    # committing the same bytes again keeps the first object and drops the temp
    tmp2, d2 = store.copy_to_temp(src)
    assert store.commit_temp(tmp2, d2.sha256) == dest and not tmp2.exists()


def test_hash_file_streams_large_files(tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:
        for _ in range(8):
            f.write(b"\x00" * (1024 * 1024))
    assert hash_file(big).sha256 == hashlib.sha256(b"\x00" * 8 * 1024 * 1024).hexdigest()
    assert hash_file(big).size == 8 * 1024 * 1024


def test_recover_removes_temp_files_and_uncommitted_objects_only(tmp_path):
    store = ObjectStore(tmp_path / "objects")
    store.create()
    committed, uncommitted = [], []
    for i, bucket in ((0, committed), (1, uncommitted)):
        src = tmp_path / f"f{i}"
        src.write_bytes(f"document {i}".encode())
        tmp, d = store.copy_to_temp(src)
        store.mark_pending(d.sha256)
        store.commit_temp(tmp, d.sha256)
        bucket.append(d.sha256)
    (store.tmp / "in-halfwritten").write_bytes(b"partial")
    removed = store.recover(lambda sha: sha in committed)
    assert removed == uncommitted
    assert store.exists(committed[0]) and not store.exists(uncommitted[0])
    assert not list(store.tmp.iterdir()) and not list(store.pending.iterdir())


def test_path_for_rejects_anything_but_a_digest(tmp_path):
    store = ObjectStore(tmp_path)
    for bad in ("../../etc/passwd", "ab", "Z" * 64, "a" * 63 + "/"):
        with pytest.raises(ValueError):
            store.path_for(bad)

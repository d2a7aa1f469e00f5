"""The command line: thin wrappers over `Archive`. `--json` prints exactly one JSON document on stdout."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy import select

from . import audit
from .catalog.models import AuditEntry
from .core import Archive, resolve_home
from .errors import ArchiverError, UsageError

log = logging.getLogger("archiver")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: clear message, exit 2, no traceback
        raise UsageError(f"{message} (see `{self.prog} --help`)", f"参数错误：{message}（见 `{self.prog} --help`）")


def _common(json_flag: bool = True) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--home", default=argparse.SUPPRESS, help="archive home (default: $ARCHIVER_HOME or ./archive-data)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("-v", "--verbose", action="count", default=0)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="archiver", description="Document ingestion and archive indexing (客户档案)")
    parser.add_argument("--home", default=None, help="archive home (default: $ARCHIVER_HOME or ./archive-data)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _common()

    sub.add_parser("init", parents=[common], help="create or upgrade the archive home")

    p = sub.add_parser("ingest", parents=[common], help="archive files or folders once")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--customer", help="customer the files belong to (used for linking)")
    p.add_argument("--jobs", type=int, help="parallel files and OCR pages (default: CPU cores)")

    p = sub.add_parser("watch", parents=[common], help="ingest everything that lands in the inbox")
    p.add_argument("--inbox", type=Path)
    p.add_argument("--polling", action="store_true", help="poll instead of inotify (network shares)")
    p.add_argument("--jobs", type=int)
    p.add_argument("--until-idle", type=float, help=argparse.SUPPRESS)  # tests and the first-run script

    p = sub.add_parser("show", parents=[common], help="one document")
    p.add_argument("doc_id")
    p.add_argument("--text", action="store_true", help="include the text of every page")

    p = sub.add_parser("audit", parents=[common], help="the append-only audit trail")
    p.add_argument("--verify", action="store_true", help="check the hash chain")
    p.add_argument("--doc", help="entries of one document")
    p.add_argument("--limit", type=int, default=50)

    p = sub.add_parser("verify", parents=[common], help="re-hash every stored original; find missing and orphans")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run")

    sub.add_parser("review", parents=[common], help="documents waiting for a person: uncertain type, no customer")

    p = sub.add_parser("customers", parents=[common], help="the customer registry")
    csub = p.add_subparsers(dest="customers_command", required=True, parser_class=_Parser)
    c = csub.add_parser("import", parents=[common], help="import customers from CSV (UTF-8/GBK) or XLSX")
    c.add_argument("file", type=Path)
    c = csub.add_parser("add", parents=[common], help="add one customer")
    c.add_argument("name")
    c.add_argument("--uscc")
    c.add_argument("--id-number")
    c.add_argument("--alias", action="append", default=[])
    c = csub.add_parser("alias", parents=[common], help="give a customer another name (short, former, English)")
    c.add_argument("customer")
    c.add_argument("alias")
    c.add_argument("--kind", default="other", choices=["short", "former", "english", "other"])
    c = csub.add_parser("list", parents=[common], help="list customers")
    c.add_argument("--search")
    c = csub.add_parser("show", parents=[common], help="the customer file: documents, completeness, expiry")
    c.add_argument("customer")
    c = csub.add_parser("merge", parents=[common], help="merge the second customer into the first")
    c.add_argument("keep")
    c.add_argument("merged")

    p = sub.add_parser("search", parents=[common], help='search: words, "phrases", AND/OR/NOT, field:value')
    p.add_argument("query")
    p.add_argument("--customer", help="name, alias, code or id")
    p.add_argument("--type", dest="doc_type")
    p.add_argument("--from", dest="date_from", help="YYYY-MM-DD (document date)")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--limit", type=int, default=20)

    sub.add_parser("reindex", parents=[common], help="rebuild the search index from the catalog (resumable)")

    p = sub.add_parser("hold", parents=[common], help="legal holds")
    hsub = p.add_subparsers(dest="hold_command", required=True, parser_class=_Parser)
    h = hsub.add_parser("place", parents=[common], help="place a hold on documents, a customer or a contract family")
    h.add_argument("--doc", action="append", help="a document (repeat for several)")
    h.add_argument("--customer", help="every document of the customer, later ones included")
    h.add_argument("--contract", help="a contract number: the contract with its amendments, termination, …")
    h.add_argument("--matter", required=True, help="案号 or internal dispute id")
    h.add_argument("--reason", required=True)
    h = hsub.add_parser("release", parents=[common], help="release a hold")
    h.add_argument("hold_id")
    h.add_argument("--reason", required=True)
    h = hsub.add_parser("list", parents=[common], help="holds with their age and the documents they cover")
    h.add_argument("--all", action="store_true", help="include released holds")

    p = sub.add_parser("retention", parents=[common], help="retention schedule and disposal")
    rsub = p.add_subparsers(dest="retention_command", required=True, parser_class=_Parser)
    r = rsub.add_parser("report", parents=[common], help="what is kept until when, what is due, what a hold blocks")
    r.add_argument("--due", action="store_true")
    r = rsub.add_parser(
        "dispose", parents=[common], help="dispose of what is due and not held (dry run without --confirm)"
    )
    r.add_argument("--confirm", action="store_true")
    rsub.add_parser("register", parents=[common], help="the disposal register (销毁清单)")

    p = sub.add_parser("export", parents=[common], help="evidence bundle: originals, text, manifest, SHA256SUMS, audit")
    p.add_argument("out", type=Path)
    p.add_argument("--customer")
    p.add_argument("--hold")
    p.add_argument("--doc", action="append")

    p = sub.add_parser("link", parents=[common], help="link a document to a customer by hand")
    p.add_argument("doc_id")
    p.add_argument("customer")
    p = sub.add_parser("relink", parents=[common], help="re-run automatic linking")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--pending", action="store_true", default=True, help="only unlinked documents (default)")
    g.add_argument("--all", action="store_true", help="every automatic link (manual links stay)")

    p = sub.add_parser("reclassify", parents=[common], help="re-run type and field extraction (after a rules change)")
    p.add_argument("doc_ids", nargs="*", help="documents (default: all)")

    p = sub.add_parser("failures", parents=[common], help="files that could not be archived, with reasons")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--retry", type=int, metavar="ID", help="put failed file ID back into the inbox (after a fix)")

    p = sub.add_parser("correct", parents=[common], help="correct a document's type or a key field by hand")
    p.add_argument("doc_id")
    p.add_argument("--type", dest="doc_type", help="document type (code or Chinese name)")
    p.add_argument("--field", action="append", default=[], metavar="NAME=VALUE", help="set a key field")

    p = sub.add_parser("users", parents=[common], help="web accounts (roles: viewer, records, legal, admin)")
    usub = p.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    u = usub.add_parser("add", parents=[common], help="add an account; the password is read from stdin or asked")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=["viewer", "records", "legal", "admin"])
    u = usub.add_parser("set", parents=[common], help="change an account's role, password or enabled state")
    u.add_argument("username")
    u.add_argument("--role", choices=["viewer", "records", "legal", "admin"])
    u.add_argument("--password", action="store_true", help="set a new password (read from stdin or asked)")
    u.add_argument("--disable", action="store_true")
    u.add_argument("--enable", action="store_true")
    usub.add_parser("list", parents=[common], help="list accounts")

    p = sub.add_parser("serve", parents=[common], help="the web interface (127.0.0.1 by default)")
    p.add_argument("--host", help="address to bind (default from [web] in archiver.toml: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default from [web]: 8080)")
    return parser


def _emit(args, data, human) -> None:
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        human(data)


def _setup_logging(archive: Archive | None, verbose: int) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root.addHandler(stderr)
    if archive is not None:
        fh = logging.FileHandler(archive.cfg.log, encoding="utf-8")
        fh.setLevel(logging.INFO)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(fh)
    for noisy in ("pdfminer", "PIL", "watchdog", "jieba", "alembic", "pytesseract"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def cmd_init(args, home: Path) -> int:
    with Archive.init(home) as archive:
        cfg = archive.cfg
        _emit(
            args,
            {
                "home": str(home),
                "inbox": str(cfg.inbox),
                "failed": str(cfg.failed),
                "catalog": cfg.catalog_url,
                "store": str(cfg.store),
                "index": str(cfg.index),
            },
            lambda d: print(f"archive home ready: {d['home']}\n  inbox:  {d['inbox']}\n  failed: {d['failed']}"),
        )
    return 0


def _progress(args, total: int):
    if getattr(args, "json", False) and not sys.stderr.isatty():
        return None, None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)
        return (lambda r: (bar.update(1), bar.set_postfix_str(f"{r.status}: {Path(r.path).name}"[:60]))), bar
    return None, None


def cmd_ingest(args, home: Path) -> int:
    from .core import iter_arrivals

    with Archive.open(home) as archive:
        _setup_logging(archive, args.verbose)
        total = sum(1 for _ in iter_arrivals(args.paths))
        progress, bar = _progress(args, total)
        try:
            results = archive.ingest(args.paths, customer=args.customer, jobs=args.jobs, progress=progress)
        finally:
            if bar is not None:
                bar.close()

    def human(rows):
        for r in rows:
            line = f"{r['status']:9} {r['id'] or '-':16} {r['path']}"
            print(line + (f"\n          {r['error']}" if r["error"] else ""))
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("archived", "duplicate", "failed")}
        print(
            f"{counts['archived']} archived, {counts['duplicate']} duplicate, {counts['failed']} failed",
            file=sys.stderr,
        )

    _emit(args, [r.to_json() for r in results], human)
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_watch(args, home: Path) -> int:
    from .watch import InboxWatcher, stop_on_signals

    stop = stop_on_signals()  # first: a signal during start-up must also end cleanly
    with Archive.open(home) as archive:
        _setup_logging(archive, max(args.verbose, 1))
        watcher = InboxWatcher(
            archive,
            inbox=args.inbox,
            polling=args.polling or None,
            jobs=args.jobs,
            on_result=lambda r: log.info("%s %s %s", r.status, r.id or "-", r.path),
            stop_event=stop,
        )
        stats = watcher.run(until_idle=args.until_idle)
    _emit(
        args,
        {
            "archived": stats.archived,
            "duplicate": stats.duplicate,
            "failed": stats.failed,
            "results": [r.to_json() for r in stats.results],
        },
        lambda d: print(f"{d['archived']} archived, {d['duplicate']} duplicate, {d['failed']} failed", file=sys.stderr),
    )
    return 0


def cmd_show(args, home: Path) -> int:
    with Archive.open(home) as archive:
        data = archive.show(args.doc_id, with_text=args.text)

    def human(d):
        print(f"{d['id']}  {d['original_name']}\n  type: {d['mime']}, {d['pages']} page(s), text: {d['text_source']}")
        print(f"  sha256: {d['sha256']}\n  sm3:    {d['sm3']}\n  ingested: {d['ingested_at']}")
        for src in d["sources"]:
            print(f"  from: {src['path']} ({src['origin']}, {src['arrived_at']})")
        if d["doc_type"] or d["type_candidates"]:
            print(f"  doc_type: {d['doc_type'] or '(review)'} ({d['type_confidence']}) — {d['type_reason']}")
        for name, value in d["fields"].items():
            src = d["field_sources"][name]
            print(f"  {name}: {value}   [p{src['page']}, {src['confidence']}] {src['text']}")
        if d["extract_error"]:
            print(f"  note: {d['extract_error']}")
        for att in d["attachments"]:
            print(f"  attachment: {att['id']} {att['original_name']}")
        for p in d["page_info"]:
            conf = f", OCR confidence {p['ocr_confidence']}" if p["ocr_confidence"] is not None else ""
            print(f"  page {p['page']}: {p['source']}{conf}")
            if "text" in p:
                print("    " + p["text"].replace("\n", "\n    "))

    _emit(args, data, human)
    return 0


def cmd_audit(args, home: Path) -> int:
    with Archive.open(home) as archive, archive.sessions() as s:
        if args.verify:
            count, bad = audit.verify_chain(s)
            data = {"ok": bad is None, "entries": count, "first_bad_seq": bad}
            _emit(
                args,
                data,
                lambda d: print(
                    f"audit trail intact: {d['entries']} entries"
                    if d["ok"]
                    else f"audit trail BROKEN at entry {d['first_bad_seq']} (of {d['entries']} checked)"
                ),
            )
            return 0 if bad is None else 1
        q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(args.limit)
        if args.doc:
            q = q.where(AuditEntry.document_id == archive.resolve_id(args.doc))
        rows = [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "document_id": e.document_id,
                "details": json.loads(e.details),
                "hash": e.hash,
            }
            for e in s.execute(q).scalars()
        ][::-1]
    _emit(
        args,
        rows,
        lambda rs: [
            print(
                f"{r['seq']:6} {r['at']} {r['actor']:10} {r['action']:18} "
                f"{r['document_id'] or '-':16} {json.dumps(r['details'], ensure_ascii=False)}"
            )
            for r in rs
        ],
    )
    return 0


def cmd_verify(args, home: Path) -> int:
    from .fixity import verify_store

    with Archive.open(home) as archive:
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="doc", file=sys.stderr)
        report = verify_store(
            archive,
            resume=args.resume,
            progress=(lambda i, n: (setattr(bar, "total", n), bar.update(1))) if bar else None,
        )
        if bar:
            bar.close()
        with archive.sessions.begin() as s:
            audit.append(
                s,
                "verify",
                None,
                {
                    "checked": report.checked,
                    "missing": len(report.missing),
                    "altered": len(report.altered),
                    "orphans": len(report.orphans),
                },
            )

    def human(d):
        print(
            f"checked {d['checked']} original(s): {len(d['missing'])} missing, {len(d['altered'])} altered, "
            f"{len(d['orphans'])} orphan object(s)"
        )
        for m in d["missing"]:
            print(f"  MISSING  {m['id']} {m['original_name']}")
        for a in d["altered"]:
            print(f"  ALTERED  {a['id']} {a['original_name']}")
        for o in d["orphans"]:
            print(f"  ORPHAN   {o}")
        for key, label in (
            ("index_missing", "NOT INDEXED"),
            ("index_stale", "INDEX STALE"),
            ("index_extra", "INDEX EXTRA"),
        ):
            for doc_id in d[key]:
                print(f"  {label}  {doc_id}  (run `archiver reindex`)")

    _emit(args, report.to_json(), human)
    return 0 if report.ok else 1


def cmd_failures(args, home: Path) -> int:
    with Archive.open(home) as archive:
        if args.retry is not None:
            out = archive.retry_failure(args.retry)
            _emit(args, out, lambda r: print(f"back in the inbox / 已放回收件箱: {r['inbox_path']}"))
            return 0
        rows = archive.failures(args.limit)
    _emit(
        args,
        rows,
        lambda rs: [
            print(
                f"[{r['id']}] {r['failed_at']} {r['code']:18} {r['path']}\n    {r['reason_zh']}\n    {r['reason_en']}"
            )
            for r in rs
        ],
    )
    return 0


def cmd_correct(args, home: Path) -> int:
    if not args.doc_type and not args.field:
        raise UsageError("give --type and/or --field NAME=VALUE", "请指定 --type 或 --field 字段=值")
    changes = []
    with Archive.open(home) as archive:
        if args.doc_type:
            changes.append(archive.set_type(args.doc_id, args.doc_type))
        for item in args.field:
            name, sep, value = item.partition("=")
            if not sep:
                raise UsageError(f"--field needs NAME=VALUE, not {item!r}", f"--field 的格式为 字段=值：{item!r}")
            changes.append(archive.set_field(args.doc_id, name, value))
    _emit(args, changes, lambda cs: [print(json.dumps(c, ensure_ascii=False)) for c in cs])
    return 0


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass("again / 再输入一次: ") != first:
            raise UsageError("the passwords differ", "两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\n")


def cmd_users(args, home: Path) -> int:
    with Archive.open(home) as archive:
        if args.users_command == "add":
            out = archive.accounts.add(args.username, _read_password("password / 密码: "), args.role)
        elif args.users_command == "set":
            if args.disable and args.enable:
                raise UsageError("--disable or --enable, not both", "--disable 与 --enable 只能选一个")
            out = archive.accounts.update(
                args.username,
                role=args.role,
                password=_read_password("new password / 新密码: ") if args.password else None,
                disabled=True if args.disable else False if args.enable else None,
            )
        else:
            out = archive.accounts.list()
    _emit(
        args,
        out,
        lambda o: (
            [print(f"{u['username']:20} {u['role']:8} {'disabled' if u.get('disabled') else ''}") for u in o]
            if isinstance(o, list)
            else print(f"{o['username']}: {o['role']}")
        ),
    )
    return 0


def cmd_serve(args, home: Path) -> int:
    from .web.server import serve

    return serve(home, host=args.host, port=args.port)


def cmd_review(args, home: Path) -> int:
    with Archive.open(home) as archive:
        rows = archive.review_queue()

    def human(rs):
        if not rs:
            print("review queue is empty / 待复核队列为空")
        for r in rs:
            print(f"{r['id']} {r['original_name']} ({r['doc_type'] or '?'})")
            for why in r["reasons"]:
                print(f"    {why['reason']}: {why['detail'] or ''}")

    _emit(args, rows, human)
    return 0


def _print_customer(c: dict) -> None:
    print(f"{c['id']}  {c['name']}  {c['uscc'] or c['id_number'] or ''}  [{c['status']}]")
    if c.get("aliases"):
        print("  aliases: " + ", ".join(a["alias"] for a in c["aliases"]))


def cmd_customers(args, home: Path) -> int:
    with Archive.open(home) as archive:
        sub = args.customers_command
        if sub == "import":
            data = archive.customers_import(args.file)

            def summary(d):
                print(
                    f"{d['created']} created, {d['updated']} updated, {len(d['errors'])} row error(s), "
                    f"{d['relinked']} document(s) linked"
                )
                for e in d["errors"]:
                    print(f"  row {e['row']}: {e['error_zh']} / {e['error']}")

            _emit(args, data, summary)
            return 1 if data["errors"] else 0
        if sub == "add":
            _emit(args, archive.customer_add(args.name, args.uscc, args.id_number, args.alias), _print_customer)
        elif sub == "alias":
            _emit(args, archive.customer_alias(args.customer, args.alias, args.kind), _print_customer)
        elif sub == "list":
            rows = archive.customers_list(args.search)
            _emit(
                args,
                rows,
                lambda rs: [print(f"{r['id']}  {r['name']}  {r['uscc'] or ''}  {r['documents']} doc(s)") for r in rs],
            )
        elif sub == "show":
            data = archive.customer_show(args.customer)

            def human(d):
                _print_customer(d)
                for t, docs in d["documents_by_type"].items():
                    print(f"  {t}:")
                    for doc in docs:
                        print(f"    {doc['date']}  {doc['id']}  {doc['original_name']}")
                for m in d["missing"]:
                    print(f"  MISSING  {m['name']} ({m['doc_type']})")
                for w in d["warnings"]:
                    print(f"  WARNING  {w['message']}")

            _emit(args, data, human)
        elif sub == "merge":
            data = archive.customers_merge(args.keep, args.merged)
            _emit(args, data, lambda d: print(f"merged into {d['id']} {d['name']}: {d['moved_documents']} document(s)"))
    return 0


def cmd_search(args, home: Path) -> int:
    from .index.service import MAX_PAGES

    with Archive.open(home) as archive:
        if archive.index.index.open():  # a new or rebuilt index: fill it first
            archive.index.sync()
        m = archive.index.match(
            args.query,
            customer=args.customer,
            doc_type=args.doc_type,
            date_from=args.date_from,
            date_to=args.date_to,
            cap=max(MAX_PAGES, args.limit * 10),
        )
        rows = archive.index.describe(m.ranked[: args.limit], m.literals)
    if not m.complete:
        print(
            f"archiver: many matches (about {m.estimate} pages); ranked among the first {len(m.ranked)} documents "
            f"found — narrow with --customer/--type/--from/--to / 匹配很多（约 {m.estimate} 页），结果取自先找到的 "
            f"{len(m.ranked)} 份文档，请用客户、类型或日期缩小范围",
            file=sys.stderr,
        )

    def human(rs):
        if not rs:
            print("no documents found / 未找到文档")
        for r in rs:
            who = r["customer"]["name"] if r["customer"] else "-"
            print(f"{r['id']}  {r['doc_type'] or '?':18} {who}  {r['original_name']}")
            for h in r["hits"]:
                print(f"    p{h['page']}: {h['snippet'] or ''}")

    _emit(args, rows, human)
    return 0


def cmd_reindex(args, home: Path) -> int:
    with Archive.open(home) as archive:
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="doc", file=sys.stderr)
        data = archive.index.reindex(
            progress=(lambda i, n: (setattr(bar, "total", n), bar.update(i - bar.n))) if bar else None
        )
        if bar:
            bar.close()
    _emit(args, data, lambda d: print(f"indexed {d['indexed']} document(s)"))
    return 0


def cmd_hold(args, home: Path) -> int:
    with Archive.open(home) as archive:
        if args.hold_command == "place":
            data = archive.records.place_hold(
                args.matter, args.reason, doc_ids=args.doc, customer=args.customer, contract_no=args.contract
            )
            _emit(args, data, lambda d: print(f"hold {d['id']} placed ({d['scope']}): {d['documents']} document(s)"))
        elif args.hold_command == "release":
            data = archive.records.release_hold(args.hold_id, args.reason)
            _emit(args, data, lambda d: print(f"hold {d['id']} released"))
        else:
            rows = archive.records.list_holds(include_released=args.all)
            _emit(
                args,
                rows,
                lambda rs: [
                    print(
                        f"{r['id']}  {r['matter']}  {r['scope']}:{r['target']}  "
                        f"{r['documents']} doc(s), {r['age_days']} day(s)"
                        + (f", released {r['released_at']}" if r["released_at"] else "")
                    )
                    for r in rs
                ],
            )
    return 0


def cmd_retention(args, home: Path) -> int:
    with Archive.open(home) as archive:
        if args.retention_command == "report":
            rows = archive.records.report(due_only=args.due)

            def report(rs):
                for r in rs:
                    until = r["dispose_after"] or ("permanent" if r["permanent"] else "?")
                    flags = ("DUE " if r["due"] else "") + ("HELD " + ",".join(r["held_by"]) if r["held_by"] else "")
                    line = f"{r['id']}  {r['doc_type'] or '?':20} {until:10}  {flags} {r['original_name']}"
                    print(f"{line}  ({r['reason']})")

            _emit(args, rows, report)
        elif args.retention_command == "register":
            _emit(
                args,
                archive.records.register(),
                lambda rs: [
                    print(f"{r['disposed_at']}  {r['document_id']}  {r['original_name']}  {r['sha256']}") for r in rs
                ],
            )
        else:
            data = archive.records.dispose(confirm=args.confirm)

            def human(d):
                if d["confirmed"]:
                    print(f"disposed of {len(d['disposed'])} document(s); register: {d['register']}")
                else:
                    print(
                        f"dry run: {len(d['would_dispose'])} document(s) would be disposed of "
                        "(run with --confirm to do it)"
                    )
                    for r in d["would_dispose"]:
                        print(f"  {r['id']}  {r['dispose_after']}  {r['original_name']}")
                for r in d["blocked_by_hold"]:
                    print(f"  HELD {r['id']} ({', '.join(r['held_by'])}): {r['original_name']}")

            _emit(args, data, human)
    return 0


def cmd_export(args, home: Path) -> int:
    with Archive.open(home) as archive:
        data = archive.records.export(args.out, customer=args.customer, hold=args.hold, doc_ids=args.doc)
    _emit(args, data, lambda d: print(f"wrote {d['out']}: {d['documents']} document(s), {d['files']} file(s)"))
    return 0


def cmd_link(args, home: Path) -> int:
    with Archive.open(home) as archive:
        data = archive.link(args.doc_id, args.customer)
    _emit(args, data, lambda d: print(f"{d['id']} → {d['customer']['id']} {d['customer']['name']} (manual)"))
    return 0


def cmd_relink(args, home: Path) -> int:
    with Archive.open(home) as archive:
        changes = archive.relink(pending_only=not args.all)
    _emit(
        args,
        changes,
        lambda cs: (
            [print(f"{len(cs)} link(s) changed")]
            + [print(f"  {c['id']}: {c['customer_id'][1] or '-'} ({c.get('method') or c['reason']})") for c in cs]
        ),
    )
    return 0


def cmd_reclassify(args, home: Path) -> int:
    with Archive.open(home) as archive:
        changes = archive.reclassify(args.doc_ids or None)
    _emit(
        args,
        changes,
        lambda cs: (
            print(f"{len(cs)} document(s) changed")
            or [
                print(f"  {c['id']}: {json.dumps({k: v for k, v in c.items() if k != 'id'}, ensure_ascii=False)}")
                for c in cs
            ]
        ),
    )
    return 0


COMMANDS = {
    "init": cmd_init,
    "ingest": cmd_ingest,
    "watch": cmd_watch,
    "show": cmd_show,
    "audit": cmd_audit,
    "verify": cmd_verify,
    "review": cmd_review,
    "reclassify": cmd_reclassify,
    "customers": cmd_customers,
    "link": cmd_link,
    "hold": cmd_hold,
    "search": cmd_search,
    "reindex": cmd_reindex,
    "retention": cmd_retention,
    "export": cmd_export,
    "relink": cmd_relink,
    "failures": cmd_failures,
    "correct": cmd_correct,
    "users": cmd_users,
    "serve": cmd_serve,
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    wants_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        home = resolve_home(getattr(args, "home", None))
        if args.command != "ingest" and args.command != "watch":
            _setup_logging(None, args.verbose)
        return COMMANDS[args.command](args, home)
    except ArchiverError as e:
        if wants_json:
            json.dump({"error": {"code": e.code, "message": e.en, "message_zh": e.zh}}, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        print(f"archiver: {e.bilingual}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print("archiver: interrupted / 已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `archiver … | head`
        return 0
    except Exception as e:
        log.exception("internal error")
        message = f"internal error: {type(e).__name__}: {e}"
        if wants_json:
            json.dump({"error": {"code": "internal", "message": message}}, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        print(f"archiver: 内部错误，请将日志发给管理员 / {message}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())

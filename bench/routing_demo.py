"""Routing accuracy on the demo organisation.

Loads `responder demo --no-serve` into a fresh SQLite file, then prints
- how many messages the engine dispatched automatically and how many it left for an operator;
- routing_accuracy as the KPI reports it (automatic leads nobody changed; the demo story re-dispatches one);
- the engine's lead judged by hand against what each message asks for (WRONG: the lead is the wrong office;
  DEBATABLE: defensible under the demo organisation's own rules but not what a reader would pick first).

    python bench/routing_demo.py [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import timedelta

# Hand-judged on the demo messages (external_id): wrong lead office, and defensible-but-doubtful leads.
WRONG = {
    "GD20260028129": "城乡公交班次（交通）→ 综合行政执法办公室：主题误判为城乡建设",
    "wb-5030412695518703": "城乡公交班次（交通）→ 综合行政执法办公室：主题误判为城乡建设",
    "XJ202600262": "无具体事项的不满 → 应留给受理员",
    "dy-7351980031457702661": "文化广场篮球场灯（文体）→ 综合行政执法办公室",
}
DEBATABLE = {
    "dy-7351640255875036213": "齐塘河边垃圾 → 党政综合办公室（演示的属地规则统筹），更宜环保办/执法办",
    "XJ202600297": "农贸市场升级改造 → 综合行政执法办公室，也可由经济发展办公室主办",
    "wb-5031204417723361": "自来水浑浊 → 综合行政执法办公室（城乡建设默认）",
    "wx-3916842290": "充电桩建议 → 经济发展办公室（商贸旅游默认）",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="routing-demo-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.db"
    if args.threshold is not None:
        os.environ["RESPONDER_ROUTING_MIN_SCORE"] = str(args.threshold)
    os.environ.pop("REDIS_URL", None)
    from responder.app import create_app
    from responder.demo.loader import load_demo
    from responder.extensions import db
    from responder.models import Assignment, Message, utcnow
    from responder.reports import kpis
    from responder.workflow.sla import TZ

    app = create_app()
    with app.app_context():
        load_demo()
        today = utcnow().astimezone(TZ).date()
        totals = kpis.summary(kpis.Window(start=today - timedelta(days=60), end=today, now=utcnow()))["totals"]
        first_leads = {}
        for a in db.session.query(Assignment).filter_by(role="lead", auto=True).order_by(Assignment.id):
            first_leads.setdefault(a.message_id, a)
        messages = db.session.query(Message).count()
        ids = {m.id: m.external_id for m in db.session.query(Message)}
        auto = [ids[mid] for mid in first_leads]
        wrong = [x for x in auto if x in WRONG]
        doubtful = [x for x in auto if x in DEBATABLE]
        print(f"threshold {app.config['ROUTING_MIN_SCORE']}: {messages} messages, {len(auto)} dispatched "
              f"automatically, {messages - len(auto)} left for an operator")
        print(f"routing_accuracy (KPI, automatic leads nobody changed): {totals['routing_accuracy']} "
              f"({totals['auto_kept']}/{totals['auto_dispatched']})")
        print(f"hand-judged: right {len(auto) - len(wrong) - len(doubtful)}, debatable {len(doubtful)}, "
              f"wrong {len(wrong)} → strict {1 - (len(wrong) + len(doubtful)) / len(auto):.3f}, "
              f"lenient {1 - len(wrong) / len(auto):.3f}")
        for x in wrong:
            print("  wrong:", x, WRONG[x])


if __name__ == "__main__":
    main()

"""Pure analysis of citizens' messages: topic, sentiment, request type, urgency, risk flags, tags.

No database and no Flask here. Use `responder.analysis.pipeline.analyse_text`; importing this
package loads no model (they load lazily, once per process, or at `pipeline.warm_up()`).
"""

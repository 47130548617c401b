# Empty on purpose: create_app imports workers.celery_app, so importing `workers` must not build an app.

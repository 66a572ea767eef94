"""The deadline rush: many applicants submit in the last minute before a call closes.

Run it from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres)::

    .venv/bin/python -m bench.deadline_rush --applicants 300 --workers 4

One run (about two minutes) does everything:

1. drops and creates the database ``regionet_bench``, migrates it and imports the places of
   ../shared/data; builds a published programme, call and open phase, and N applicants
   (coordinator and partner organisations, users, memberships), each with a complete
   eligible draft and a signed-in session (``setup.py``);
2. starts gunicorn (``--workers``, ``--threads``) with the production settings — DEBUG off,
   persistent database connections, e-mail to memory, receipts queued by the django-tasks
   database backend so that rendering and sending them is not on the request path
   (``settings.py``);
3. warms the workers up: each applicant opens the page with the submit form, which gives the
   fields its browser would post;
4. the baseline: a view that inserts one row (``views.ping``), behind the same middleware,
   at the same concurrency;
5. the rush: the phase is set to close ``--deadline-in`` seconds from now and the applicants
   in time post the real submit form (at most ``--concurrency`` requests in flight, default
   2 × workers × threads); ``--double-click`` of them post it twice, 0.1 s apart. They come
   in ``--rounds`` groups (default 3), each round followed by another one-insert batch of
   as many posts: the machine's speed drifts by a third within a minute, and the ratio is
   taken over batches run seconds apart (every batch of each kind; each round's own ratio
   against its neighbours is reported too);
6. after the deadline, the ``--late`` share of applicants post it: every one must be refused;
7. checks the database (``verify.py``): one submission, one receipt notice and one record
   number per accepted application, the record numbers of the funder and year exactly 1..K,
   late applications still drafts, no server error; exits 1 if a check fails; then counts the
   SQL statements of one submit and one one-insert post (in process, a late applicant's draft);
8. appends the figures to bench/RESULTS.md (``--no-record`` to skip).

Options: ``--target service`` posts to a bench-only view that calls
``services.submit_application`` without the page around it (the door's cost without the
page's); ``--tasks immediate`` sends each receipt (PDF and e-mail) in the request, as the
default settings do; ``--profile FILE`` samples the gunicorn workers with py-spy during the
rush (wall-clock; ``--profile-cpu`` for CPU time; needs ``pip install py-spy``), and the
PostgreSQL sessions waiting for a lock are always sampled. ``--help`` lists the rest.
"""

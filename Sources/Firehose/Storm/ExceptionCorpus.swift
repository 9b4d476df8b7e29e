/// Exceptions and tracebacks shaped like a real Celery storm's (1 to 2 KB of Python traceback each).
///
/// Why: the ingest path's cost is dominated by the long strings (base64 of a traceback is most of a
/// message), so the benchmark must carry tracebacks of realistic size, with the per-task detail that
/// keeps them from being identical (ids, hosts, counts), escapes (`\n`, quotes) and one non-ASCII text.
enum ExceptionCorpus {
    struct Kind: Sendable {
        var type: String
        /// The exception repr; `#` is replaced by a number that varies per task.
        var message: String
        var frames: [String]
    }

    static let taskFrames = [
        "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 453, in trace_task\n    R = retval = fun(*args, **kwargs)\n                 ^^^^^^^^^^^^^^^^^^^^",
        "  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 736, in __protected_call__\n    return self.run(*args, **kwargs)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^",
        "  File \"/usr/local/lib/python3.11/site-packages/celery/app/autoretry.py\", line 38, in run\n    return task._orig_run(*args, **kwargs)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    ]

    static let kinds: [Kind] = [
        Kind(type: "ConnectionError",
             message: "ConnectionError(\"HTTPSConnectionPool(host='payments.internal', port=443): Max retries exceeded with url: /v1/charges/# (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f3a2c1d5e90>: Failed to establish a new connection: [Errno 111] Connection refused'))\")",
             frames: [
                "  File \"/srv/app/billing/tasks.py\", line 87, in charge_card\n    response = gateway.charge(order_id, amount_cents, currency=currency)\n               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/srv/app/billing/gateway.py\", line 142, in charge\n    return self._session.post(url, json=payload, timeout=self.timeout)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/usr/local/lib/python3.11/site-packages/requests/sessions.py\", line 637, in post\n    return self.request(\"POST\", url, data=data, json=json, **kwargs)",
                "  File \"/usr/local/lib/python3.11/site-packages/requests/adapters.py\", line 519, in send\n    raise ConnectionError(e, request=request)",
             ]),
        Kind(type: "TimeoutError",
             message: "TimeoutError('upstream inventory service timed out after 30.0s (sku=#)')",
             frames: [
                "  File \"/srv/app/inventory/tasks.py\", line 55, in sync_inventory\n    levels = client.fetch_levels(sku, warehouse=warehouse)\n             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/srv/app/inventory/client.py\", line 201, in fetch_levels\n    return self._call(\"GET\", f\"/levels/{sku}\", params={\"warehouse\": warehouse})",
                "  File \"/srv/app/inventory/client.py\", line 233, in _call\n    raise TimeoutError(f\"upstream inventory service timed out after {self.timeout}s (sku={sku})\")",
             ]),
        Kind(type: "OperationalError",
             message: "OperationalError('could not connect to server: Connection refused\\n\\tIs the server running on host \"db-primary\" (10.0.3.12) and accepting\\n\\tTCP/IP connections on port 5432? (conn #)\\n')",
             frames: [
                "  File \"/srv/app/reports/tasks.py\", line 112, in build_report\n    rows = session.execute(query, {\"account\": account_id}).fetchall()\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/usr/local/lib/python3.11/site-packages/sqlalchemy/orm/session.py\", line 2308, in execute\n    return self._execute_internal(",
                "  File \"/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py\", line 145, in __init__\n    self._dbapi_connection = engine.raw_connection()",
                "  File \"/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py\", line 122, in connect\n    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)",
             ]),
        Kind(type: "RateLimitExceeded",
             message: "RateLimitExceeded('429 Too Many Requests: retry after 17s for account #')",
             frames: [
                "  File \"/srv/app/notify/tasks.py\", line 40, in send_webhook\n    resp = deliver(endpoint, payload, signature=sign(payload))\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/srv/app/notify/delivery.py\", line 77, in deliver\n    raise RateLimitExceeded(f\"429 Too Many Requests: retry after {retry_after}s for account {account}\")",
             ]),
        Kind(type: "ValueError",
             message: "ValueError('prix manquant pour la commande # (café)')",
             frames: [
                "  File \"/srv/app/orders/tasks.py\", line 23, in price_order\n    total = pricing.total(order, currency=\"EUR\")\n            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"/srv/app/orders/pricing.py\", line 61, in total\n    raise ValueError(f\"prix manquant pour la commande {order.id} (caf\\xe9)\")",
             ]),
        Kind(type: "SMTPServerDisconnected",
             message: "SMTPServerDisconnected('Connection unexpectedly closed (relay-#.mail.internal)')",
             frames: [
                "  File \"/srv/app/mail/tasks.py\", line 31, in send_email\n    smtp.send_message(message)",
                "  File \"/usr/local/lib/python3.11/smtplib.py\", line 986, in send_message\n    return self.sendmail(from_addr, to_addrs, flatmsg, mail_options, rcpt_options)",
                "  File \"/usr/local/lib/python3.11/smtplib.py\", line 398, in getreply\n    raise SMTPServerDisconnected(\"Connection unexpectedly closed\")",
             ]),
    ]

    /// The exception repr for one task (the number varies per task, so texts differ like real ones).
    static func exception(kind: Int, detail: Int) -> String {
        kinds[kind].message.replacingHash(with: String(detail))
    }

    /// A Python traceback for that exception; a retry's ends in celery's `Retry` line.
    static func traceback(kind: Int, detail: Int, retryIn countdown: Int?) -> String {
        let entry = kinds[kind]
        let exception = exception(kind: kind, detail: detail)
        var text = "Traceback (most recent call last):\n"
        for frame in taskFrames + entry.frames {
            text += frame
            text += "\n"
        }
        text += "\(entry.type): \(exception.dropFirst(entry.type.count + 1).dropLast())\n"
        if let countdown {
            text += "\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n"
            text += taskFrames[0]
            text += "\n  File \"/usr/local/lib/python3.11/site-packages/celery/app/task.py\", line 743, in retry\n    raise ret\n"
            text += "celery.exceptions.Retry: Retry in \(countdown)s: \(exception)\n"
        }
        return text
    }
}

extension String {
    func replacingHash(with value: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count + value.utf8.count)
        for character in self {
            if character == "#" { out += value } else { out.append(character) }
        }
        return out
    }
}

"""Runs moto_server with three fixes that bring it closer to AWS.

1. DynamoDB applies each request atomically: a conditional write's check and write, an ADD to a
set, happen as one. moto's threaded server does not (two concurrent writers can both pass
`version = :v`, or both add to the same set and lose one). Its DynamoDB requests are served one
at a time here, which costs little: moto runs one Python thread at a time anyway.

2. moto 5.x's SendMessage reads the queue's ContentBasedDeduplication through Queue.attributes, which
computes every attribute, ApproximateNumberOfMessages included, by walking every message in the
queue: sending n messages costs O(n^2) (10,000 queued PDFs took over 15 minutes). While a message
is being sent, the property answers the one attribute SendMessage reads, from the same field it
would have read it from. Everything else (GetQueueAttributes included) is moto's own code.

3. SQS never loses or revives a message. moto's Queue.delete_message rebuilds the queue's message
list and assigns it back without the lock SendMessage appends under: a send during a delete is
lost, and of two concurrent deletes one can bring its message back (seen as one message left,
in flight, after twenty workers had settled all of theirs). Deletes take the queue's own lock here.

If this moto has a different shape, a fix is skipped (with a line on stderr) and moto runs as it is.
"""
import sys
import threading

from moto.server import main

try:
    from moto.dynamodb.responses import DynamoHandler

    _one_at_a_time = threading.RLock()
    _call_action = DynamoHandler.call_action

    def _atomic_call_action(self):
        with _one_at_a_time:
            return _call_action(self)

    DynamoHandler.call_action = _atomic_call_action
except (ImportError, AttributeError) as shape_changed:
    print("moto DynamoDB atomicity fix skipped:", shape_changed, file=sys.stderr)

try:
    import moto.sqs.models as sqs

    _sending = threading.local()
    _attributes = sqs.Queue.attributes.fget
    _send_message = sqs.SQSBackend.send_message

    def _attributes_while_sending(queue):
        if getattr(_sending, "active", False):
            if not queue.fifo_queue:
                return {}  # moto lists ContentBasedDeduplication for FIFO queues only
            return {"ContentBasedDeduplication": "true" if queue.content_based_deduplication else "false"}
        return _attributes(queue)

    def _send_message_flagged(self, *args, **kwargs):
        _sending.active = True
        try:
            return _send_message(self, *args, **kwargs)
        finally:
            _sending.active = False

    sqs.Queue.attributes = property(_attributes_while_sending)
    sqs.SQSBackend.send_message = _send_message_flagged
except (ImportError, AttributeError) as shape_changed:
    print("moto send fix skipped:", shape_changed, file=sys.stderr)

try:
    import moto.sqs.models as sqs_models

    _delete_message = sqs_models.Queue.delete_message
    _deletes = threading.RLock()  # for a moto whose queues have no lock of their own

    def _delete_message_locked(self, receipt_handle):
        with getattr(self, "_messages_lock", _deletes):
            return _delete_message(self, receipt_handle)

    sqs_models.Queue.delete_message = _delete_message_locked
except (ImportError, AttributeError) as shape_changed:
    print("moto delete fix skipped:", shape_changed, file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1:])

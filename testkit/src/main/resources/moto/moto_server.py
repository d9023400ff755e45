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

4. IAM is enforced as AWS enforces it when moto_server runs with INITIAL_NO_AUTH_ACTION_COUNT=0
(moto's own switch). moto checks a request's signature and its caller's policies, but for an action
on a resource it knows only SQS queues' and S3's ARNs: DynamoDB, Secrets Manager and EventBridge
requests are checked against Resource "*", which no statement naming a table, a secret or a bus
matches. Here each request is checked once per resource it acts on, as AWS does: a table (or
table/<t>/index/<i>), every table of a batch, each item of a transaction under its own action
(PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem), a secret's ARN (a name not yet
stored is <arn>:secret:<name>-??????, as its random suffix is unknown), the event bus of every
PutEvents entry, and a queue by its QueueUrl or QueueName. SQS's batch calls are authorised as
the action they batch (sqs:SendMessage for SendMessageBatch, ...), as in AWS. The account's root
(the access key in LRM_MOTO_ROOT_ACCESS_KEY, the test set-up's) may do everything, as a root user can.

5. A DynamoDB transaction costs what its items cost. moto's transact_write_items deep-copies every
table a transaction touches, whole, to roll back on failure (moto 5.2.1, dynamodb/models/__init__.py);
and moto never deletes an expired item (no TTL), so the budget table's per-second app-minute counters
pile up. Each Xero call's budget transaction then copied tens of thousands of items twice, while every
other DynamoDB request waited (fix 1): moto's CPU and, on the benchmark's long runs, its memory (killed
at 23.7 GB) grew with the run, which no AWS table does. Here a transaction keeps a copy of only the
items it touches and, when it is cancelled, puts back exactly those: the same all-or-nothing outcome.

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

try:
    import json
    import os
    from urllib.parse import urlparse

    from moto import settings as moto_settings
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.dynamodb.responses import DynamoHandler as _Dynamo
    from moto.events.responses import EventsHandler
    from moto.iam import access_control
    from moto.secretsmanager.models import secretsmanager_backends
    from moto.secretsmanager.responses import SecretsManagerResponse
    from moto.sqs.responses import SQSResponse
    from botocore.credentials import Credentials
    from moto.core.exceptions import AccessDeniedError, JsonRESTError

    _root_key = os.environ.get("LRM_MOTO_ROOT_ACCESS_KEY")
    _root_secret = os.environ.get("LRM_MOTO_ROOT_SECRET_KEY", _root_key)
    _create_access_key = access_control.create_access_key

    class _RootAccessKey:
        def __init__(self, account_id, partition):
            self.arn = f"arn:{partition}:iam::{account_id}:root"

        def create_credentials(self):
            return Credentials(_root_key, _root_secret)

        def collect_policies(self):
            return [json.dumps({"Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})]

    def _create_access_key_or_root(account_id, partition, access_key_id, headers):
        if _root_key and access_key_id == _root_key and "X-Amz-Security-Token" not in headers:
            return _RootAccessKey(account_id, partition)
        return _create_access_key(account_id, partition, access_key_id, headers)

    access_control.create_access_key = _create_access_key_or_root

    def _enforce(self, checks):
        """moto's _authenticate_and_authorize_action, once per (action, resource) the request acts on."""
        if ActionAuthenticatorMixin.request_count < moto_settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        parsed = urlparse(self.uri)
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        signed = False
        for action, resource in checks:
            request = access_control.IAMRequest(account_id=self.current_account, method=self.method, path=path,
                                                data=self.data, body=self.raw_body, headers=self.headers,
                                                action=action)
            if not signed:
                request.check_signature()
                signed = True
            try:
                request.check_action_permitted(resource)
            except AccessDeniedError:
                raise _denied(self, request._access_key.arn, request._action, resource)

    def _denied(self, principal, action, resource):
        """The JSON services' AccessDeniedException (SQS's AccessDenied, 403), naming the resource as AWS does."""
        message = (f"User: {principal} is not authorized to perform: {action} on resource: {resource} "
                   f"because no identity-based policy allows the {action} action")
        if isinstance(self, SQSResponse):
            error = JsonRESTError("AccessDenied", message)
            error.code = 403
            return error
        return JsonRESTError("AccessDeniedException", message)

    def _arn(self, service, resource):
        return f"arn:aws:{service}:{self.region}:{self.current_account}:{resource}"

    def _table(self, name):
        return name if name.startswith("arn:") else _arn(self, "dynamodb", "table/" + name)

    _TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                         "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}

    def _dynamodb_checks(self):
        action = self._get_action()
        body = self.body if isinstance(self.body, dict) else {}
        if action in ("TransactWriteItems", "TransactGetItems"):
            return [(_TRANSACT_ACTIONS[kind], _table(self, op["TableName"]))
                    for item in body.get("TransactItems", []) for kind, op in item.items()]
        if "RequestItems" in body:
            return [(action, _table(self, name)) for name in body["RequestItems"]]
        if "TableName" in body:
            table = _table(self, body["TableName"])
            return [(action, table + "/index/" + body["IndexName"] if body.get("IndexName") else table)]
        return [(action, "*")]

    def _sqs_checks(self):
        action = self._get_action()
        if action.endswith("Batch"):
            action = action[: -len("Batch")]
        url = self._get_param("QueueUrl")
        name = url.rstrip("/").split("/")[-1] if url else self._get_param("QueueName")
        return [(action, _arn(self, "sqs", name) if name else "*")]

    def _secret_checks(self):
        action = self._get_action()
        secret_id = self._get_param("SecretId") or self._get_param("Name")
        if not secret_id:
            return [(action, "*")]
        stored = secretsmanager_backends[self.current_account][self.region].secrets.get(secret_id)
        if stored is not None:
            return [(action, stored.arn)]
        if secret_id.startswith("arn:"):
            return [(action, secret_id)]
        return [(action, _arn(self, "secretsmanager", "secret:" + secret_id + "-??????"))]

    def _events_checks(self):
        action = self._get_action()
        if action != "PutEvents":
            return [(action, "*")]
        buses = {entry.get("EventBusName") or "default" for entry in self._get_param("Entries", [])}
        return [(action, bus if bus.startswith("arn:") else _arn(self, "events", "event-bus/" + bus)) for bus in buses]


    # moto reads an S3 request's signature from its Authorization header only: a presigned URL
    # (query-string SigV4, as S3Presigner makes) answers 500. Here it is checked as S3 checks it:
    # its signature, its expiry, then the signer's permission for the action on the object.
    import datetime
    from urllib.parse import parse_qsl, urlsplit
    from moto.s3.responses import S3Response
    from moto.s3.exceptions import S3AccessDeniedError, S3SignatureDoesNotMatchError

    def _presigned_signature(credentials, method, path, host, query, region):
        """SigV4's signature of a presigned S3 request (query authentication: host signed, payload unsigned)."""
        import hashlib
        import hmac
        from urllib.parse import quote, unquote
        canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                                   for k, v in sorted(query.items()) if k != "X-Amz-Signature")
        canonical = "\n".join([method, quote(unquote(path), safe="/~"), canonical_query, "host:" + host + "\n", "host", "UNSIGNED-PAYLOAD"])
        date = query["X-Amz-Date"]
        scope = f"{date[:8]}/{region}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + credentials.secret_key).encode()
        for part in (date[:8], region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()

    _s3_authorize = S3Response._authenticate_and_authorize_s3_action

    def _s3_authorize_presigned(self, bucket_name=None, key_name=None):
        query = dict(parse_qsl(urlsplit(self.uri).query, keep_blank_values=True))
        if "Authorization" in self.headers or "X-Amz-Credential" not in query:
            return _s3_authorize(self, bucket_name=bucket_name, key_name=key_name)
        if ActionAuthenticatorMixin.request_count < moto_settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        access_key_id, _, region, _, _ = query["X-Amz-Credential"].split("/")
        token = query.get("X-Amz-Security-Token")
        try:
            principal = access_control.create_access_key(self.current_account, "aws", access_key_id,
                                                          {"X-Amz-Security-Token": token} if token else {})
        except access_control.CreateAccessKeyFailure:
            raise S3AccessDeniedError()
        signed_at = datetime.datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        if datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) > signed_at + datetime.timedelta(seconds=int(query["X-Amz-Expires"])):
            raise S3AccessDeniedError()
        parts = urlsplit(self.uri)
        if _presigned_signature(principal.create_credentials(), self.method, parts.path, self.headers.get("Host", parts.netloc),
                                query, region) != query.get("X-Amz-Signature"):
            raise S3SignatureDoesNotMatchError()
        arn = f"{bucket_name or '*'}/{key_name}" if key_name else (bucket_name or "*")
        action = "s3:" + self.data["Action"]
        permitted = False
        for policy in principal.collect_policies():
            result = access_control.IAMPolicy(policy).is_action_permitted(action, "arn:aws:s3:::" + arn)
            if result == access_control.PermissionResult.DENIED:
                raise S3AccessDeniedError()
            permitted = permitted or result == access_control.PermissionResult.PERMITTED
        if not permitted:
            raise S3AccessDeniedError()

    S3Response._authenticate_and_authorize_s3_action = _s3_authorize_presigned

    for _handler, _checks in ((_Dynamo, _dynamodb_checks), (SQSResponse, _sqs_checks),
                              (SecretsManagerResponse, _secret_checks), (EventsHandler, _events_checks)):
        _handler._authenticate_and_authorize_normal_action = (
            lambda self, resource="*", _checks=_checks: _enforce(self, _checks(self)))
except (ImportError, AttributeError) as shape_changed:
    print("moto IAM resource fix skipped:", shape_changed, file=sys.stderr)

try:
    import copy as _copy
    import moto.dynamodb.models as _dynamodb_models
    from moto.dynamodb.exceptions import (MockValidationException as _Invalid,
                                          MultipleTransactionsException as _Multiple,
                                          TransactionCanceledException as _Cancelled)
    from moto.dynamodb.models.table import Table as _Table

    class _TablesNotCopied:
        """moto's module `copy` during a transaction: a Table is kept as it is (its touched items are backed up)."""

        @staticmethod
        def deepcopy(value, *args, **kwargs):
            return value if isinstance(value, _Table) else _copy.deepcopy(value, *args, **kwargs)

    _transact_write_items = _dynamodb_models.DynamoDBBackend.transact_write_items

    def _touched_items(backend, transact_items):
        touched = []
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            if table is None:
                continue
            if op_type == "Put":
                attrs = op.get("Item") or {}
                key = {table.hash_key_attr: attrs.get(table.hash_key_attr)}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs.get(table.range_key_attr)
            else:
                key = op.get("Key")
            if not key or any(v is None for v in key.values()):
                continue
            try:
                current = backend.get_item(table.name, key)
            except Exception:  # an invalid key: moto's own code refuses the transaction
                continue
            touched.append((table.name, key, None if current is None else _copy.deepcopy(current.to_json()["Attributes"])))
        return touched

    def _transact_write_items_backing_up_items(self, transact_items):
        touched = _touched_items(self, transact_items)
        _dynamodb_models.copy = _TablesNotCopied
        try:
            return _transact_write_items(self, transact_items)
        except (_Cancelled, _Multiple, _Invalid):
            for table_name, key, attrs in reversed(touched):  # the first copy of an item touched twice wins
                if attrs is None:
                    self.tables[table_name].delete_item(*_hash_and_range(self.tables[table_name], key))
                else:
                    self.tables[table_name].put_item(attrs)
            raise
        finally:
            _dynamodb_models.copy = _copy

    def _hash_and_range(table, key):
        from moto.dynamodb.models.dynamo_type import DynamoType
        hash_value = DynamoType(key[table.hash_key_attr])
        range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr is not None else None
        return hash_value, range_value

    _dynamodb_models.DynamoDBBackend.transact_write_items = _transact_write_items_backing_up_items
except (ImportError, AttributeError) as shape_changed:
    print("moto DynamoDB transaction copy fix skipped:", shape_changed, file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1:])

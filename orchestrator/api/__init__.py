"""The AWS JSON 1.0 HTTP endpoint (Starlette + uvicorn) over :class:`StepFunctionsService`.

Pointing boto3 at it::

    sfn = boto3.client(
        "stepfunctions",
        endpoint_url="http://127.0.0.1:8083",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=botocore.config.Config(inject_host_prefix=False),
    )

``inject_host_prefix=False`` matters for StartSyncExecution and TestState: their API model carries the
host prefix ``sync-``, and botocore prepends it to the host of ``endpoint_url`` too, IP addresses
included (``http://sync-127.0.0.1:8083/``, which does not resolve). The same switch without code:
``AWS_DISABLE_HOST_PREFIX_INJECTION=true`` in the environment, or ``disable_host_prefix_injection =
true`` in ``~/.aws/config``. The server itself accepts any Host, so a name that does resolve with the
prefix (an ``/etc/hosts`` entry for ``sync-myhost``) works as well.
"""

from orchestrator.api.app import create_app

__all__ = ["create_app"]

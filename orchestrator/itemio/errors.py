"""The one failure an item reader or result writer reports: AWS's error name and cause."""

from __future__ import annotations

ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"


class ItemIOError(Exception):
    """Reading items or writing results failed: ``error`` (``States.ItemReaderFailed`` /
    ``States.ResultWriterFailed``) and ``cause`` as the Map's ``MapRunFailed`` event shows them."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error, self.cause = error, cause


def s3_cause(message: str, code: str, status: int) -> str:
    """An S3 failure worded as the AWS SDK for Java (which Step Functions runs on) words it."""
    return (
        f"{message} (Service: Amazon S3; Status Code: {status}; Error Code: {code}; "
        "Request ID: 0000000000000000; S3 Extended Request ID: 0000000000000000; Proxy: null)"
    )

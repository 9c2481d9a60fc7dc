import pytest

from orchestrator.errors import ApiError
from orchestrator.service.pagination import paginate


def test_given_more_items_than_a_page_when_following_tokens_expect_every_item_once() -> None:
    items = list(range(1, 8))
    seen, token = [], None
    while True:
        request = {"maxResults": 3, **({"nextToken": token} if token else {})}
        page, token = paginate(items, request, scope="s", key=lambda i: i)
        seen += page
        if token is None:
            break
    assert seen == items


def test_given_an_item_removed_between_pages_expect_paging_resumes_after_it() -> None:
    page, token = paginate([1, 2, 3, 4], {"maxResults": 2}, scope="s", key=lambda i: i)
    rest, _ = paginate([1, 3, 4], {"nextToken": token}, scope="s", key=lambda i: i)
    assert (page, rest) == ([1, 2], [3, 4])


def test_given_a_token_from_another_listing_expect_invalid_token() -> None:
    _, token = paginate([1, 2], {"maxResults": 1}, scope="a", key=lambda i: i)
    with pytest.raises(ApiError, match="InvalidToken"):
        paginate([1, 2], {"nextToken": token}, scope="b", key=lambda i: i)
    with pytest.raises(ApiError, match="InvalidToken"):
        paginate([1, 2], {"nextToken": "%%%"}, scope="b", key=lambda i: i)


def test_given_max_results_over_1000_expect_aws_validation_message() -> None:
    with pytest.raises(ApiError) as caught:
        paginate([], {"maxResults": 1001}, scope="s", key=lambda i: i)
    assert caught.value.message == (
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000"
    )


def test_given_a_too_long_token_expect_validation_exception() -> None:
    with pytest.raises(ApiError) as caught:
        paginate([], {"nextToken": "x" * 1025}, scope="s", key=lambda i: i)
    assert "Member must have length less than or equal to 1024" in caught.value.message

"""The committed package imports and the request it builds is the one the issue names."""

from __future__ import annotations

import json
from types import ModuleType

import httpx


def test_create_endpoint_request(vastai_api: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True, "result": 12345})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with vastai_api.Client(api_key="KEY", base_url="http://api.test", http_client=http) as client:
        result = client.create_endpoint(min_load=50, endpoint_name="my_endpoint")
    assert result == vastai_api.CreateEndpointResponse(success=True, result=12345)
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == "http://api.test/api/v0/endptjobs/"
    assert request.headers["authorization"] == "Bearer KEY"
    assert json.loads(request.content) == {"min_load": 50.0, "endpoint_name": "my_endpoint"}
    assert b'"min_load": 50.0' in request.content

"""The hub API, version 1: JSON over HTTP, bearer API key.

Thin: authenticate, rate-limit, validate (credit_community/tools/payload.py), then call the
``credit.community.service`` engine. Every error is a JSON ``{"error": {"code", "message",
"path"}}`` with a 4xx status; a refused request changes nothing but the rate counter.
"""

import json

from odoo import fields, http
from odoo.http import request
from odoo.tools import file_open

from ..tools import payload

PREFIX = "/credit_community/v1"


def _error(status, code, message, path="", headers=None):
    return request.make_json_response(
        {"error": {"code": code, "message": message, "path": path}}, status=status, headers=headers)


class CreditCommunityApi(http.Controller):
    def _body(self, max_bytes=payload.MAX_BODY_BYTES):
        length = request.httprequest.content_length
        if length is not None and length > max_bytes:
            raise payload.PayloadError("body_too_large", f"The request body exceeds {max_bytes} bytes.")
        # cached: Odoo may retry the request on a serialisation failure and read it again
        return payload.parse_body(request.httprequest.get_data(cache=True), max_bytes=max_bytes)

    def _service(self):
        # su=True: these routes have no user (auth="none"); the engine only touches hub records,
        # and only after the caller's API key has been checked (or, for /enrol, its code)
        return request.env(su=True)["credit.community.service"]

    def _serve(self, handler, authenticated=True):
        if not request.db:
            return _error(404, "no_database", "No database is selected on this server.")
        service = self._service()
        if not service._hub_enabled():
            return _error(404, "not_a_hub", "This database is not a community hub.")
        member = None
        if authenticated:
            auth = request.httprequest.headers.get("Authorization") or ""
            token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
            member = service._hub_authenticate(token)
            if not member:
                return _error(401, "unauthorized", "Missing, invalid or revoked API key.",
                              headers=[("WWW-Authenticate", 'Bearer realm="credit_community"')])
            if not service._hub_check_rate(member):
                return _error(429, "rate_limited", "Too many requests for this API key; retry in a minute.",
                              headers=[("Retry-After", "60")])
        try:
            data = self._body()
            return handler(service, member, data)
        except payload.PayloadError as exc:
            status = 413 if exc.code == "body_too_large" else 400
            return _error(status, exc.code, exc.message, exc.path)

    @http.route(f"{PREFIX}/enrol", type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
                readonly=False)
    def enrol(self):
        def handler(service, _member, data):
            key = service._hub_enrol(payload.validate_enrolment(data))
            if not key:
                return _error(403, "invalid_enrolment_code", "This enrolment code is unknown or already used.")
            return request.make_json_response({"api_key": key, "api_version": "1"}, status=201)

        return self._serve(handler, authenticated=False)

    @http.route(f"{PREFIX}/contributions", type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
                readonly=False)
    def contributions(self):
        def handler(service, member, data):
            params = service._hub_params()
            batch_id, period_end, items = payload.validate_contributions(
                data, max_items=params["max_items"], today=fields.Date.today())
            answer = service._hub_receive(member, batch_id, period_end, items)
            return request.make_json_response(answer, status=201 if answer["status"] == "accepted" else 200)

        return self._serve(handler)

    @http.route(f"{PREFIX}/scores", type="http", auth="none", methods=["POST"], csrf=False, save_session=False,
                readonly=False)
    def scores(self):
        def handler(service, member, data):
            keys = payload.validate_score_request(data, max_items=service._hub_params()["max_items"])
            return request.make_json_response(service._hub_scores(member, keys))

        return self._serve(handler)

    @http.route(f"{PREFIX}/openapi.json", type="http", auth="none", methods=["GET"], save_session=False)
    def openapi(self):
        with file_open("credit_community/static/openapi.json", "rb") as spec:
            return request.make_json_response(json.load(spec))

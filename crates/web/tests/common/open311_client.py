"""Reads a body's Open311 endpoint with a real client (PyPI `georeport`) in JSON and
XML, and checks every JSON answer against GeoReport v2 JSON schemas (PyPI
`jsonschema`). Prints what it read as JSON for the Rust test to compare.

The schemas restate the GeoReport v2 specification's required fields and types, as
the open311/schema-validation project (schema/georeport-v2) writes them."""
import json
import sys

import jsonschema
import requests
from georeport import GeoReport

root, code, public_id = sys.argv[1], sys.argv[2], sys.argv[3]

def nullable(kind, **more):
    return {"anyOf": [dict(type=kind, **more), {"type": "null"}]}

SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": nullable("string"),
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": nullable("string"),
        "group": nullable("string"),
    },
}
DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {
        "service_code": {"type": "string"},
        "attributes": {"type": "array", "items": {
            "type": "object",
            "required": ["variable", "code", "datatype", "required"],
            "properties": {
                "variable": {"type": "boolean"},
                "code": {"type": "string"},
                "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
                "required": {"type": "boolean"},
                "datatype_description": nullable("string"),
                "order": nullable("integer"),
                "description": nullable("string"),
                "values": {"type": "array", "items": {
                    "type": "object", "required": ["key", "name"],
                    "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}},
            },
        }},
    },
}
REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": nullable("string"),
        "service_name": nullable("string"),
        "service_code": {"type": "string"},
        "description": nullable("string", maxLength=4000),
        "agency_responsible": nullable("string"),
        "service_notice": nullable("string"),
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": nullable("string", format="date-time"),
        "expected_datetime": nullable("string", format="date-time"),
        "address": nullable("string"),
        "address_id": nullable("string"),
        "zipcode": nullable("string"),
        "lat": nullable("number"),
        "long": nullable("number"),
        "media_url": nullable("string", format="uri"),
    },
}

def check(instance, schema, what):
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{what}: {e.message}" for e in validator.iter_errors(instance)]
    if errors:
        raise SystemExit("\n".join(errors[:5]))

as_json, as_xml = GeoReport(root), GeoReport(root, output_format="xml")
services = as_json.get_service_list()
check(services, {"type": "array", "minItems": 1, "items": SERVICE}, "services")
definition = as_json.get_service_definition(code)
check(definition, DEFINITION, "service definition")
listed = as_json.get_service_requests()
check(listed, {"type": "array", "items": REQUEST}, "requests")
one = as_json.get_service_request(public_id)
check(one, REQUEST, "request")
filtered = as_json.get_service_requests(service_code=code, status="open")
check(filtered, {"type": "array", "items": REQUEST}, "filtered requests")
xml_services = as_xml.get_service_list()
xml_one = as_xml.get_service_request(public_id)
xml_definition = as_xml.get_service_definition(code)
discovery = requests.get(f"{root}/discovery.json").json()
print(json.dumps({
    "service_codes": [s["service_code"] for s in services],
    "xml_service_codes": [s["service_code"] for s in xml_services],
    "attributes": [a["code"] for a in definition["attributes"]],
    "xml_attributes": [a["code"] for a in xml_definition["attributes"]["attribute"]],
    "listed_ids": [r["service_request_id"] for r in listed],
    "filtered": [[r["service_request_id"], r["service_code"], r["status"]] for r in filtered],
    "one": one,
    "xml_one": xml_one,
    "discovery_url": discovery["endpoints"][0]["url"],
    "all_text": json.dumps([services, definition, listed], ensure_ascii=False),
}, ensure_ascii=False))

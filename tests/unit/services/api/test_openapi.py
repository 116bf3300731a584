"""The OpenAPI documents: every route of an API and only its own, path parameters, the
handlers' own request schemas, the API's error format on 4xx, served without a token."""
from services.api import apis, app, openapi
from services.api.identity import users
from tests.unit.base import api as base


class OpenAPITest(base.APITestCase):
    def test_each_api_documents_its_routes_with_their_schemas(self) -> None:
        application = app.create_app()
        served = {template for template, _methods in openapi.routes(application)}
        for api in apis.ALL:
            with self.subTest(api=api.name):
                resp = self.client.simulate_get(api.prefix + api.openapi_path)
                self.assertEqual(200, resp.status_code)
                document = resp.json
                self.assertEqual("3.0.3", document["openapi"])
                paths = set(document["paths"])
                self.assertTrue(paths)
                self.assertTrue(all(path.startswith(api.prefix) for path in paths))
                self.assertLessEqual(len(paths), len(served))
                error = document["paths"][next(iter(paths))]
                operation = next(iter(error.values()))
                self.assertEqual(api.error_schema, operation["responses"]["4XX"]["content"][
                    "application/json"]["schema"])
        user = self.client.simulate_get("/identity/v3/openapi.json").json["paths"][
            "/identity/v3/users/{user_id}"]
        self.assertEqual([{"name": "user_id", "in": "path", "required": True,
                           "schema": {"type": "string"}}], user["patch"]["parameters"])
        self.assertEqual(users.UPDATE_SCHEMA, user["patch"]["requestBody"]["content"][
            "application/json"]["schema"])
        self.assertNotIn("requestBody", user["get"])

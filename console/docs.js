// The API's documentation, rendered by the vendored Swagger UI from the OpenAPI document served
// beside the console. Kept out of docs.html so that a Content-Security-Policy without inline
// scripts can serve it.
window.SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#docs",
  deepLinking: true,
  // "Try it out" with the token the console holds in this tab, if any.
  requestInterceptor: (request) => {
    const token = sessionStorage.getItem("lrm-xero-console.token");
    if (token && !request.headers.Authorization) {
      request.headers.Authorization = "Bearer " + token;
    }
    return request;
  },
});

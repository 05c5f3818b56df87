// The smallest service Flipstack can release: answers the health check and says which release it is.
const http = require("node:http");

const version = process.env.FLIPSTACK_VERSION ?? "unknown";
http
  .createServer((req, res) => {
    res.setHeader("x-app-version", version);
    res.end(req.url === "/version" ? version : "ok");
  })
  .listen(8080);

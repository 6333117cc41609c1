// Routes requests to the probes and the metrics text; everything else is 404 or 405.
#include "http/http_server.hpp"

#include <stdexcept>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <fmt/format.h>

#include "util/os_error.hpp"

namespace meetgate::http {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kTextType = "text/plain; charset=utf-8";

void send(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const char* type,
          const std::string& body) {
  response.setStatus(status);
  response.setContentType(type);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.set("Cache-Control", "no-store");
  response.sendBuffer(body.data(), body.size());
}

void send_probe(HTTPServerResponse& response, const ProbeStatus& status) {
  if (status.ok)
    send(response, HTTPResponse::HTTP_OK, kTextType, "ok\n");
  else
    send(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, kTextType, status.reason + "\n");
}

// One per request (Poco's contract); holds only references to the shared state.
class EndpointHandler : public Poco::Net::HTTPRequestHandler {
 public:
  EndpointHandler(const Health& health, const MeetgateMetrics& metrics)
      : health_(health), metrics_(metrics) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const std::string& uri = request.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    const bool known =
        path == "/livez" || path == "/readyz" || path == "/healthz" || path == "/metrics";

    if (!known)
      return send(response, HTTPResponse::HTTP_NOT_FOUND, kTextType, "not found\n");
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
      response.set("Allow", "GET");
      return send(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, kTextType,
                  "method not allowed\n");
    }

    if (path == "/livez")
      return send_probe(response, health_.liveness());
    if (path == "/metrics")
      return send(response, HTTPResponse::HTTP_OK, kMetricsType, metrics_.render());
    send_probe(response, health_.readiness());
  }

 private:
  const Health& health_;
  const MeetgateMetrics& metrics_;
};

class EndpointFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  EndpointFactory(const Health& health, const MeetgateMetrics& metrics)
      : health_(health), metrics_(metrics) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new EndpointHandler(health_, metrics_);
  }

 private:
  const Health& health_;
  const MeetgateMetrics& metrics_;
};

// Probes and scrapes are tiny: two threads and a short queue are plenty, and short
// timeouts keep a stuck client from holding a thread. No keep-alive, so an idle
// scraper connection never occupies one of the two threads.
Poco::Net::HTTPServerParams::Ptr server_params() {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(2);
  params->setMaxQueued(16);
  params->setTimeout(Poco::Timespan(5, 0));
  params->setKeepAlive(false);
  return params;
}

}  // namespace

HttpServer::HttpServer(const ListenAddress& address, const Health& health,
                       const MeetgateMetrics& metrics) {
  // The host is numeric (parse_listen_address), so SocketAddress never resolves.
  // SO_REUSEADDR lets a restart rebind past TIME_WAIT; no SO_REUSEPORT, which would
  // let a second meetgate share the port silently.
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(address.host, address.port), true, false);
    socket.listen(16);
  } catch (const Poco::Exception& error) {
    // Poco's socket errors carry errno as their code; word it as our messages are.
    const std::string reason = error.code() > 0 ? util::os_reason(error.code()) : error.message();
    throw std::runtime_error(fmt::format("listen on {}: {}", address.to_string(), reason));
  }

  pool_ = std::make_unique<Poco::ThreadPool>("meetgate-http", 2, 2);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new EndpointFactory(health, metrics), *pool_,
                                                    socket, server_params());
  port_ = socket.address().port();
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  if (server_)
    server_->start();
}

void HttpServer::stop() {
  if (!server_)
    return;

  // Poco's acceptor notices the stop within its 250 ms poll; then close the
  // listening socket too, so the port refuses instead of queueing connections.
  server_->stopAll(true);
  pool_->joinAll();
  server_.reset();
}

std::uint16_t HttpServer::port() const {
  return port_;
}

}  // namespace meetgate::http

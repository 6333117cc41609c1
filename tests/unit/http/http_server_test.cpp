#include "http/http_server.hpp"

#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <sstream>
#include <thread>
#include <vector>

using namespace meetgate::http;
using namespace std::chrono_literals;

namespace {

struct Answer {
  int status = 0;
  std::string type;
  std::string body;
};

Answer request(std::uint16_t port, const std::string& path,
               const std::string& method = Poco::Net::HTTPRequest::HTTP_GET) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(5, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);

  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(body, text);
  return {response.getStatus(), response.getContentType(), text.str()};
}

// A server on a kernel-chosen port with state the test controls.
struct Fixture {
  Health::Clock::time_point now{};
  Health health{30s, [this] { return now; }};
  MeetgateMetrics metrics;
  HttpServer server{ListenAddress{"127.0.0.1", 0}, health, metrics};

  Fixture() { server.start(); }
};

}  // namespace

TEST_CASE("the server reports the port the kernel chose") {
  Fixture fixture;

  CHECK(fixture.server.port() != 0);
}

TEST_CASE("readyz and healthz follow readiness through the life cycle") {
  Fixture fixture;
  const auto port = fixture.server.port();

  auto before = request(port, "/readyz");
  CHECK(before.status == 503);
  CHECK(before.body == "users source not read yet\n");

  fixture.health.source_valid();
  fixture.health.reconcile_succeeded();
  auto ready = request(port, "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == "ok\n");
  CHECK(request(port, "/healthz?verbose").status == 200);

  fixture.health.source_invalid("users source missing: /users");
  CHECK(request(port, "/readyz").status == 503);
  CHECK(request(port, "/healthz").body == "users source missing: /users\n");
}

TEST_CASE("livez turns 503 when the heartbeat stalls") {
  Fixture fixture;
  const auto port = fixture.server.port();

  CHECK(request(port, "/livez").status == 200);

  fixture.now += 31s;
  auto stalled = request(port, "/livez");
  CHECK(stalled.status == 503);
  CHECK(stalled.body == "watch loop stalled: last heartbeat 31.0s ago\n");
}

TEST_CASE("metrics are served as Prometheus text") {
  Fixture fixture;
  fixture.metrics.watch_event();

  auto answer = request(fixture.server.port(), "/metrics");

  CHECK(answer.status == 200);
  CHECK(answer.type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(answer.body == fixture.metrics.render());
}

TEST_CASE("unknown paths are 404 and other methods 405") {
  Fixture fixture;
  const auto port = fixture.server.port();

  CHECK(request(port, "/").status == 404);
  CHECK(request(port, "/metrics/x").status == 404);
  CHECK(request(port, "/livez", Poco::Net::HTTPRequest::HTTP_POST).status == 405);
  CHECK(request(port, "/metrics", Poco::Net::HTTPRequest::HTTP_DELETE).status == 405);
}

TEST_CASE("stop is clean and can be called twice") {
  Fixture fixture;
  const auto port = fixture.server.port();
  CHECK(request(port, "/livez").status == 200);

  fixture.server.stop();
  fixture.server.stop();

  CHECK_THROWS(request(port, "/livez"));
}

TEST_CASE("a taken port fails with the address in the message") {
  Fixture fixture;
  Health health(30s);
  MeetgateMetrics metrics;
  const auto port = std::to_string(fixture.server.port());

  CHECK_THROWS_WITH(HttpServer(ListenAddress{"127.0.0.1", fixture.server.port()}, health, metrics),
                    "listen on 127.0.0.1:" + port + ": address already in use");
}

TEST_CASE("a server never started is destroyed cleanly") {
  Health health(30s);
  MeetgateMetrics metrics;

  HttpServer server(ListenAddress{"127.0.0.1", 0}, health, metrics);

  CHECK(server.port() != 0);
}

TEST_CASE("two threads serve many clients at once") {
  Fixture fixture;
  std::atomic<int> ok = 0;

  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c)
    clients.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        ok += request(fixture.server.port(), "/metrics").status == 200;
    });
  for (auto& client : clients)
    client.join();

  CHECK(ok == 80);
}

// The watcher's HTTP endpoints: /livez, /readyz, /healthz (alias of readyz), /metrics.
// A small Poco server: two threads, a short queue, short timeouts, no keep-alive.
#pragma once

#include <cstdint>
#include <memory>

#include "http/health.hpp"
#include "http/listen_address.hpp"
#include "http/meetgate_metrics.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace meetgate::http {

class HttpServer {
 public:
  // Binds now, so a taken port fails here with std::runtime_error ("listen on
  // 0.0.0.0:9180: ..."). `health` and `metrics` must outlive the server.
  HttpServer(const ListenAddress& address, const Health& health, const MeetgateMetrics& metrics);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Starts answering in the background; call once (after stop() it does nothing).
  void start();

  // Stops accepting, aborts open connections, waits for the handler threads and
  // closes the port. Safe to call more than once; the destructor calls it.
  void stop();

  // The bound port: the kernel's choice when the address asked for port 0.
  std::uint16_t port() const;

 private:
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace meetgate::http

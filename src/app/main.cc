// pangolin_api: reads the configuration and runs the server.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/application.h"
#include "app/config.h"

int main(int argc, char** argv) {
  using namespace pangolin;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = app::LoadConfig(args, [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
  });
  if (!config) {
    bool help = config.error().code == ErrorCode::kNotFound;
    std::fprintf(
        help ? stdout : stderr, "%s%s\n",
        help ? "" : "pangolin_api: invalid configuration: ", config.error().message.c_str());
    return help ? 0 : 2;
  }
  log::Configure(config->log_format, config->log_level);
  app::BlockShutdownSignals();
  return app::RunServer(*config);
}

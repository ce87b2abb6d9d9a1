// The composition root: builds the store, storage, services, API and server from a Config, runs
// until SIGTERM or SIGINT, then shuts down gracefully. The only code that names concrete backends.
#pragma once

#include "app/config.h"

namespace pangolin::app {

// Runs the server; returns the process exit code. Call with SIGTERM/SIGINT blocked in every thread
// (BlockShutdownSignals) so that they are received here.
int RunServer(const Config& config);
void BlockShutdownSignals();

}  // namespace pangolin::app

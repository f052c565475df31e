#include "test_resource_manager.hpp"

#include <simdjson.h>
#include <zmq.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace dvidxfer::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string receive_frame(void* socket) {
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  std::string text;
  if (zmq_msg_recv(&frame, socket, ZMQ_DONTWAIT) >= 0)
    text.assign(static_cast<const char*>(zmq_msg_data(&frame)), zmq_msg_size(&frame));
  zmq_msg_close(&frame);
  return text;
}

void send_text(void* socket, const std::string& text) {
  zmq_send(socket, text.data(), text.size(), 0);
}

}  // namespace

struct TestResourceManager::State {
  std::atomic<Behavior> behavior;
  std::atomic<int> behavior_changes{0};
  std::atomic<int> behavior_changes_seen{0};  // the serving loop's turns answer by the new one
  std::string padding;
  void* context = zmq_ctx_new();
  void* replies = nullptr;  // REP: requests, holds, releases
  void* grants = nullptr;   // XPUB: "<id> 1", and it hears subscriptions
  std::atomic<bool> stopping{false};
  std::thread thread;

  mutable std::mutex mutex;  // guards everything below
  std::uint64_t next_id = 1;
  std::vector<ResourceRequestRecord> requests;
  std::vector<std::uint64_t> holds;
  std::vector<std::uint64_t> releases;
  std::vector<std::uint64_t> withheld;
  std::set<std::uint64_t> announcing;  // granted after waiting, hold not yet received
  std::set<std::uint64_t> granted;     // not yet released
  std::vector<std::string> violations;
  std::multiset<std::string> subscriptions;
  std::deque<std::string> to_publish;
};

TestResourceManager::TestResourceManager(Behavior behavior, std::size_t reply_padding)
    : state_(std::make_unique<State>()) {
  state_->behavior = behavior;
  state_->padding.assign(reply_padding, 'x');
  const int no_linger = 0;
  // Let the system choose the request port; the grant port must be the next one, so retry until
  // it is free too.
  for (int attempt = 0; attempt < 50 && port_ == 0; ++attempt) {
    void* replies = zmq_socket(state_->context, ZMQ_REP);
    void* grants = zmq_socket(state_->context, ZMQ_XPUB);
    zmq_setsockopt(replies, ZMQ_LINGER, &no_linger, sizeof no_linger);
    zmq_setsockopt(grants, ZMQ_LINGER, &no_linger, sizeof no_linger);
    char endpoint[256];
    std::size_t size = sizeof endpoint;
    if (zmq_bind(replies, "tcp://127.0.0.1:*") == 0 &&
        zmq_getsockopt(replies, ZMQ_LAST_ENDPOINT, endpoint, &size) == 0) {
      const std::string_view bound(endpoint);
      const int port = std::stoi(std::string(bound.substr(bound.rfind(':') + 1)));
      if (zmq_bind(grants, ("tcp://127.0.0.1:" + std::to_string(port + 1)).c_str()) == 0) {
        state_->replies = replies;
        state_->grants = grants;
        port_ = port;
        break;
      }
    }
    zmq_close(replies);
    zmq_close(grants);
  }
  if (port_ == 0) {
    zmq_ctx_term(state_->context);
    throw std::runtime_error("TestResourceManager: no free pair of loopback ports");
  }
  state_->thread = std::thread([this] { serve(); });
}

TestResourceManager::~TestResourceManager() {
  state_->stopping = true;
  state_->thread.join();
  zmq_close(state_->replies);
  zmq_close(state_->grants);
  zmq_ctx_term(state_->context);
}

std::vector<ResourceRequestRecord> TestResourceManager::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<std::uint64_t> TestResourceManager::holds() const {
  std::lock_guard lock(state_->mutex);
  return state_->holds;
}

std::vector<std::uint64_t> TestResourceManager::releases() const {
  std::lock_guard lock(state_->mutex);
  return state_->releases;
}

std::vector<std::uint64_t> TestResourceManager::withheld() const {
  std::lock_guard lock(state_->mutex);
  return state_->withheld;
}

std::size_t TestResourceManager::outstanding() const {
  std::lock_guard lock(state_->mutex);
  return state_->granted.size();
}

std::vector<std::string> TestResourceManager::violations() const {
  std::lock_guard lock(state_->mutex);
  return state_->violations;
}

bool TestResourceManager::subscribed(const std::string& topic) const {
  std::lock_guard lock(state_->mutex);
  return state_->subscriptions.count(topic) > 0;
}

void TestResourceManager::set_behavior(Behavior behavior) {
  state_->behavior = behavior;
  const auto changed = ++state_->behavior_changes;
  wait_until([&] { return state_->behavior_changes_seen >= changed; });
}

void TestResourceManager::grant_withheld() {
  std::lock_guard lock(state_->mutex);
  for (const auto id : state_->withheld) {
    state_->announcing.insert(id);
    state_->granted.insert(id);
  }
  state_->withheld.clear();
}

void TestResourceManager::publish(std::string message) {
  std::lock_guard lock(state_->mutex);
  state_->to_publish.push_back(std::move(message));
}

bool TestResourceManager::wait_until(const std::function<bool()>& condition,
                                     std::chrono::milliseconds timeout) {
  const auto give_up = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void TestResourceManager::serve() {
  State& s = *state_;
  simdjson::dom::parser parser;
  auto last_announcement = Clock::now();
  while (!s.stopping) {
    const int changes = s.behavior_changes;
    const Behavior behavior = s.behavior;
    s.behavior_changes_seen = changes;
    zmq_pollitem_t items[2] = {{s.grants, 0, ZMQ_POLLIN, 0}, {s.replies, 0, ZMQ_POLLIN, 0}};
    const int count = behavior == Behavior::silent ? 1 : 2;
    zmq_poll(items, count, 5);

    if (items[0].revents & ZMQ_POLLIN) {
      // XPUB hears "\x01topic" for a subscription and "\x00topic" for its end.
      const std::string change = receive_frame(s.grants);
      std::lock_guard lock(s.mutex);
      if (!change.empty() && change[0] == 1) s.subscriptions.insert(change.substr(1));
      if (!change.empty() && change[0] == 0) {
        const auto it = s.subscriptions.find(change.substr(1));
        if (it != s.subscriptions.end()) s.subscriptions.erase(it);
      }
    }

    if (count == 2 && (items[1].revents & ZMQ_POLLIN)) {
      const std::string text = receive_frame(s.replies);
      simdjson::dom::element message;
      std::string_view type;
      std::string reply = "{}";
      std::lock_guard lock(s.mutex);
      if (parser.parse(text).get(message) || message["type"].get(type)) {
        s.violations.push_back("unreadable message: " + text);
      } else if (type == "request") {
        ResourceRequestRecord record;
        record.id = s.next_id++;
        std::string_view resource;
        if (message["datasize"].get(record.datasize) || message["read"].get(record.read) ||
            message["resource"].get(resource))
          s.violations.push_back("incomplete request: " + text);
        record.resource = resource;
        s.requests.push_back(record);
        const std::string id = std::to_string(record.id);
        const std::string padding = s.padding.empty() ? "" : R"(, "padding": ")" + s.padding + "\"";
        if (behavior == Behavior::grant) {
          s.granted.insert(record.id);
          reply = R"({"available": true, "id": )" + id + padding + "}";
        } else if (behavior == Behavior::withhold) {
          s.withheld.push_back(record.id);
          reply = R"({"available": false, "id": )" + id + padding + "}";
        } else {
          reply = R"({"available": false, "invalid": true, "id": )" + id + padding + "}";
        }
      } else if (type == "hold") {
        std::uint64_t id = 0;
        if (message["id"].get(id)) s.violations.push_back("no id in " + text);
        s.holds.push_back(id);
        if (s.announcing.erase(id) == 0)
          s.violations.push_back("hold of an id not announced: " + text);
      } else if (type == "release") {
        std::uint64_t id = 0;
        if (message["id"].get(id)) s.violations.push_back("no id in " + text);
        s.releases.push_back(id);
        if (s.granted.erase(id) == 0)
          s.violations.push_back("release of an id not granted: " + text);
      } else {
        s.violations.push_back("unknown message type: " + text);
      }
      send_text(s.replies, reply);
    }

    std::lock_guard lock(s.mutex);
    for (; !s.to_publish.empty(); s.to_publish.pop_front())
      send_text(s.grants, s.to_publish.front());
    if (Clock::now() - last_announcement >= std::chrono::milliseconds(50)) {
      for (const auto id : s.announcing) send_text(s.grants, std::to_string(id) + " 1");
      last_announcement = Clock::now();
    }
  }
}

}  // namespace dvidxfer::testing

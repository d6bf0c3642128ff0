// confgate native RTP socket I/O (docs/media.md, "RTP I/O backends").
//
// Node's dgram costs one JS<->C++ crossing, one SendWrap and one syscall per sent datagram, and a
// 64 KiB buffer plus a RemoteInfo object per received one. This addon keeps the sockets in C++:
// - sending: JS writes every packet due in a pacing tick into one shared buffer with one record
//   each, then makes ONE call; the loop here issues sendmmsg(2) per run of records for one socket;
// - receiving: every socket sits in one epoll set whose fd is watched by ONE uv_poll_t on Node's
//   loop; when it is readable, every ready socket is drained with recvmmsg(2) into a shared buffer
//   of records, and JS is called once per batch.
// One process-wide instance, on the main thread's environment only (a second environment gets
// -EBUSY from init and falls back to dgram).
//
// Records are Int32 x 9: socket id, offset, length, family (0 = connected, 4, 6), port, then the
// address as 1 (IPv4) or 4 (IPv6) host-order words. A received length < 0 is -errno (-EMSGSIZE:
// the datagram did not fit a receive slot); a send record whose length is < 0 after send() failed
// with that -errno.

#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace {

constexpr int kStride = 9;
constexpr uint32_t kSlotBits = 16;
constexpr uint32_t kMaxSlots = 1u << kSlotBits;
/** Receive slot per datagram: a G.711 20 ms packet is 172 bytes, an Ethernet MTU 1500. */
constexpr size_t kRecvSlotBytes = 2048;
/** Datagrams read from one socket per readiness round, so one flooded socket cannot starve the others. */
constexpr int kPerSocketBudget = 64;
constexpr int kRoundsPerWake = 4;
constexpr int kEpollBatch = 512;
constexpr int kSendRun = 64;

struct Socket {
  int fd = -1;
  uint32_t generation = 0;
  int family = 0;
};

struct State {
  napi_env env = nullptr;
  int epfd = -1;
  uv_poll_t poll;
  bool polling = false;
  std::vector<Socket> sockets;
  std::vector<uint32_t> freeSlots;
  uint32_t open = 0;
  uint8_t* recvData = nullptr;
  size_t recvSlots = 0;
  int32_t* recvRecords = nullptr;
  uint8_t* sendData = nullptr;
  size_t sendDataBytes = 0;
  int32_t* sendRecords = nullptr;
  size_t sendRecordCapacity = 0;
  napi_ref buffers[4] = {nullptr, nullptr, nullptr, nullptr};
  napi_ref callback = nullptr;
  napi_async_context async = nullptr;
  std::vector<mmsghdr> rmsgs;
  std::vector<iovec> riov;
  std::vector<sockaddr_storage> raddr;
  mmsghdr smsgs[kSendRun];
  iovec siov[kSendRun];
  sockaddr_storage saddr[kSendRun];
  double icmpErrors = 0;
  double receiveErrors = 0;
};

State* g = nullptr;

int32_t IdOf(uint32_t slot, uint32_t generation) { return static_cast<int32_t>(slot | ((generation & 0x7fff) << kSlotBits)); }

Socket* Lookup(int32_t id) {
  if (g == nullptr || id < 0) return nullptr;
  uint32_t slot = static_cast<uint32_t>(id) & (kMaxSlots - 1);
  if (slot >= g->sockets.size()) return nullptr;
  Socket& s = g->sockets[slot];
  if (s.fd < 0 || IdOf(slot, s.generation) != id) return nullptr;
  return &s;
}

// ---------------------------------------------------------------- addresses

/** Parses a literal IPv4 or IPv6 address with a port; false when it is neither. */
bool ToSockaddr(const char* address, int port, sockaddr_storage* out, socklen_t* len) {
  memset(out, 0, sizeof(*out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

/** Writes family, port and address words of `sa` into a record (fields 3..8). */
void SockaddrToRecord(const sockaddr_storage& sa, int32_t* record) {
  if (sa.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(sa);
    record[3] = 4;
    record[4] = ntohs(v4.sin_port);
    record[5] = static_cast<int32_t>(ntohl(v4.sin_addr.s_addr));
    record[6] = record[7] = record[8] = 0;
  } else if (sa.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(sa);
    record[3] = 6;
    record[4] = ntohs(v6.sin6_port);
    for (int w = 0; w < 4; w++) {
      uint32_t word;
      memcpy(&word, v6.sin6_addr.s6_addr + 4 * w, 4);
      record[5 + w] = static_cast<int32_t>(ntohl(word));
    }
  } else {
    record[3] = record[4] = record[5] = record[6] = record[7] = record[8] = 0;
  }
}

/** The destination of a send record for a socket of `socketFamily`; false when the record's family is unusable. */
bool RecordToSockaddr(const int32_t* record, int socketFamily, sockaddr_storage* out, socklen_t* len) {
  memset(out, 0, sizeof(*out));
  int family = record[3];
  uint16_t port = htons(static_cast<uint16_t>(record[4]));
  if (family == 4 && socketFamily == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(out);
    v4->sin_family = AF_INET;
    v4->sin_port = port;
    v4->sin_addr.s_addr = htonl(static_cast<uint32_t>(record[5]));
    *len = sizeof(sockaddr_in);
    return true;
  }
  if ((family == 4 || family == 6) && socketFamily == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = port;
    if (family == 4) {
      // A dual-stack IPv6 socket reaches an IPv4 peer through its v4-mapped address.
      v6->sin6_addr.s6_addr[10] = 0xff;
      v6->sin6_addr.s6_addr[11] = 0xff;
      uint32_t word = htonl(static_cast<uint32_t>(record[5]));
      memcpy(v6->sin6_addr.s6_addr + 12, &word, 4);
    } else {
      for (int w = 0; w < 4; w++) {
        uint32_t word = htonl(static_cast<uint32_t>(record[5 + w]));
        memcpy(v6->sin6_addr.s6_addr + 4 * w, &word, 4);
      }
    }
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- receiving

void Deliver(int count) {
  napi_env env = g->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, receiver, argv[1], result;
  if (napi_get_reference_value(env, g->callback, &callback) == napi_ok && callback != nullptr &&
      napi_get_global(env, &receiver) == napi_ok && napi_create_int32(env, count, &argv[0]) == napi_ok) {
    // make_callback, not call_function: it runs the microtasks and nextTicks queued by JS afterwards
    // (the batched sends of serveIfDue are flushed from a microtask).
    napi_status status = napi_make_callback(env, g->async, receiver, callback, 1, argv, &result);
    if (status == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

void ClearSocketError(int fd) {
  int error = 0;
  socklen_t len = sizeof(error);
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) g->icmpErrors++;
}

/** Reads what `id`'s socket holds into the records from `count` on; returns the new count. */
int Drain(int32_t id, int count) {
  const int capacity = static_cast<int>(g->recvSlots);
  int budget = kPerSocketBudget;
  while (budget > 0) {
    Socket* sock = Lookup(id);  // again after each delivery: JS may have closed it
    if (sock == nullptr) break;
    if (count == capacity) {
      Deliver(count);
      count = 0;
      continue;
    }
    int want = std::min({capacity - count, budget, 32});
    for (int i = count; i < count + want; i++) {
      g->rmsgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      g->rmsgs[i].msg_hdr.msg_flags = 0;
      g->rmsgs[i].msg_len = 0;
    }
    int got = recvmmsg(sock->fd, &g->rmsgs[count], static_cast<unsigned>(want), MSG_DONTWAIT, nullptr);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // A connected socket reports an ICMP error (port unreachable...) on its next read; it is consumed.
      if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH || errno == EHOSTDOWN || errno == ENETDOWN) {
        g->icmpErrors++;
        budget--;
        continue;
      }
      g->receiveErrors++;
      break;
    }
    for (int i = count; i < count + got; i++) {
      int32_t* record = g->recvRecords + static_cast<size_t>(i) * kStride;
      const msghdr& hdr = g->rmsgs[i].msg_hdr;
      record[0] = id;
      record[1] = static_cast<int32_t>(static_cast<size_t>(i) * kRecvSlotBytes);
      record[2] = (hdr.msg_flags & MSG_TRUNC) ? -EMSGSIZE : static_cast<int32_t>(g->rmsgs[i].msg_len);
      SockaddrToRecord(g->raddr[i], record);
    }
    count += got;
    budget -= got;
    if (got < want) break;  // the queue is empty: no extra call just to see EAGAIN
  }
  return count;
}

void OnReadable(uv_poll_t*, int, int) {
  if (g == nullptr || g->recvSlots == 0) return;
  static epoll_event events[kEpollBatch];
  int count = 0;
  for (int round = 0; round < kRoundsPerWake; round++) {
    int ready = epoll_wait(g->epfd, events, kEpollBatch, 0);
    if (ready <= 0) break;
    for (int e = 0; e < ready && g != nullptr; e++) {
      int32_t id = static_cast<int32_t>(events[e].data.u64);
      if ((events[e].events & EPOLLERR) != 0) {
        Socket* sock = Lookup(id);
        if (sock != nullptr && (events[e].events & EPOLLIN) == 0) ClearSocketError(sock->fd);
      }
      count = Drain(id, count);
    }
  }
  if (count > 0 && g != nullptr) Deliver(count);
}

void UpdatePolling() {
  if (g->open > 0 && !g->polling) {
    uv_poll_start(&g->poll, UV_READABLE, OnReadable);
    g->polling = true;
  } else if (g->open == 0 && g->polling) {
    // No socket: the loop may end, as it would with no dgram socket left.
    uv_poll_stop(&g->poll);
    g->polling = false;
  }
}

// ---------------------------------------------------------------- N-API helpers

napi_value Int(napi_env env, int32_t value) {
  napi_value out;
  napi_create_int32(env, value, &out);
  return out;
}

bool Args(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  return argc >= expected;
}

bool GetInt(napi_env env, napi_value value, int32_t* out) { return napi_get_value_int32(env, value, out) == napi_ok; }

bool GetString(napi_env env, napi_value value, char* out, size_t size) {
  size_t len = 0;
  return napi_get_value_string_utf8(env, value, out, size, &len) == napi_ok && len < size - 1;
}

bool GetTyped(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value arraybuffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &arraybuffer, &offset) != napi_ok) return false;
  return type == want;
}

void Teardown(void*) {
  if (g == nullptr) return;
  for (Socket& s : g->sockets)
    if (s.fd >= 0) close(s.fd);
  if (g->epfd >= 0) close(g->epfd);
  State* state = g;
  g = nullptr;
  if (state->polling) uv_poll_stop(&state->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&state->poll), [](uv_handle_t* handle) { delete static_cast<State*>(handle->data); });
}

// ---------------------------------------------------------------- exported functions

/** init(recvData: Uint8Array, recvRecords: Int32Array, sendData: Uint8Array, sendRecords: Int32Array, onBatch(count)) -> 0 | -errno */
napi_value Init(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!Args(env, info, 5, argv)) return Int(env, -EINVAL);
  void *recvData, *recvRecords, *sendData, *sendRecords;
  size_t recvDataLen, recvRecordsLen, sendDataLen, sendRecordsLen;
  if (!GetTyped(env, argv[0], napi_uint8_array, &recvData, &recvDataLen) || !GetTyped(env, argv[1], napi_int32_array, &recvRecords, &recvRecordsLen) ||
      !GetTyped(env, argv[2], napi_uint8_array, &sendData, &sendDataLen) || !GetTyped(env, argv[3], napi_int32_array, &sendRecords, &sendRecordsLen))
    return Int(env, -EINVAL);
  napi_valuetype type;
  if (napi_typeof(env, argv[4], &type) != napi_ok || type != napi_function) return Int(env, -EINVAL);
  if (g != nullptr && g->env != env) return Int(env, -EBUSY);
  if (g == nullptr) {
    uv_loop_t* loop;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok) return Int(env, -EINVAL);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return Int(env, -errno);
    auto* state = new State();
    state->env = env;
    state->epfd = epfd;
    if (uv_poll_init(loop, &state->poll, epfd) != 0) {
      close(epfd);
      delete state;
      return Int(env, -EINVAL);
    }
    state->poll.data = state;
    napi_value name;
    napi_create_string_utf8(env, "confgate:rtp-io", NAPI_AUTO_LENGTH, &name);
    napi_value resource;
    napi_create_object(env, &resource);
    napi_async_init(env, resource, name, &state->async);
    g = state;
    napi_add_env_cleanup_hook(env, Teardown, nullptr);
  }
  // A re-init (a test runner loading the module again) swaps the buffers and the callback.
  for (napi_ref& ref : g->buffers)
    if (ref != nullptr) napi_delete_reference(env, ref), ref = nullptr;
  if (g->callback != nullptr) napi_delete_reference(env, g->callback);
  for (int i = 0; i < 4; i++) napi_create_reference(env, argv[i], 1, &g->buffers[i]);
  napi_create_reference(env, argv[4], 1, &g->callback);
  g->recvData = static_cast<uint8_t*>(recvData);
  g->recvSlots = std::min(recvDataLen / kRecvSlotBytes, recvRecordsLen / kStride);
  g->recvRecords = static_cast<int32_t*>(recvRecords);
  g->sendData = static_cast<uint8_t*>(sendData);
  g->sendDataBytes = sendDataLen;
  g->sendRecords = static_cast<int32_t*>(sendRecords);
  g->sendRecordCapacity = sendRecordsLen / kStride;
  g->rmsgs.assign(g->recvSlots, mmsghdr{});
  g->riov.assign(g->recvSlots, iovec{});
  g->raddr.assign(g->recvSlots, sockaddr_storage{});
  for (size_t i = 0; i < g->recvSlots; i++) {
    g->riov[i].iov_base = g->recvData + i * kRecvSlotBytes;
    g->riov[i].iov_len = kRecvSlotBytes;
    g->rmsgs[i].msg_hdr.msg_iov = &g->riov[i];
    g->rmsgs[i].msg_hdr.msg_iovlen = 1;
    g->rmsgs[i].msg_hdr.msg_name = &g->raddr[i];
  }
  return Int(env, 0);
}

/** open(address, port) -> socket id >= 0 | -errno. Non-blocking, close-on-exec, bound exclusively (no SO_REUSEADDR). */
napi_value Open(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char address[INET6_ADDRSTRLEN + 1];
  int32_t port;
  if (g == nullptr) return Int(env, -ENOTCONN);
  if (!Args(env, info, 2, argv) || !GetString(env, argv[0], address, sizeof(address)) || !GetInt(env, argv[1], &port) || port < 0 || port > 65535)
    return Int(env, -EINVAL);
  sockaddr_storage sa;
  socklen_t len;
  if (!ToSockaddr(address, port, &sa, &len)) return Int(env, -EINVAL);
  if (g->freeSlots.empty() && g->sockets.size() >= kMaxSlots) return Int(env, -EMFILE);
  int fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Int(env, -errno);
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    int error = errno;
    close(fd);
    return Int(env, -error);
  }
  uint32_t slot;
  if (!g->freeSlots.empty()) {
    slot = g->freeSlots.back();
    g->freeSlots.pop_back();
  } else {
    slot = static_cast<uint32_t>(g->sockets.size());
    g->sockets.emplace_back();
  }
  Socket& s = g->sockets[slot];
  s.fd = fd;
  s.family = sa.ss_family;
  int32_t id = IdOf(slot, s.generation);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint32_t>(id);
  if (epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    int error = errno;
    close(fd);
    s.fd = -1;
    s.generation++;
    g->freeSlots.push_back(slot);
    return Int(env, -error);
  }
  g->open++;
  UpdatePolling();
  return Int(env, id);
}

/** close(id) -> 0 | -EBADF. The id is dead at once; datagrams already batched for it are skipped. */
napi_value Close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t id;
  if (!Args(env, info, 1, argv) || !GetInt(env, argv[0], &id)) return Int(env, -EINVAL);
  Socket* s = Lookup(id);
  if (s == nullptr) return Int(env, -EBADF);
  epoll_ctl(g->epfd, EPOLL_CTL_DEL, s->fd, nullptr);
  close(s->fd);
  s->fd = -1;
  s->generation++;
  g->freeSlots.push_back(static_cast<uint32_t>(id) & (kMaxSlots - 1));
  g->open--;
  UpdatePolling();
  return Int(env, 0);
}

/** connect(id, address, port) -> 0 | -errno; connect(id) (no address) dissolves the association (AF_UNSPEC). */
napi_value Connect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t argc = 3;
  int32_t id;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 1 || !GetInt(env, argv[0], &id)) return Int(env, -EINVAL);
  Socket* s = Lookup(id);
  if (s == nullptr) return Int(env, -EBADF);
  sockaddr_storage sa;
  socklen_t len;
  if (argc < 3) {
    memset(&sa, 0, sizeof(sa));
    sa.ss_family = AF_UNSPEC;
    len = sizeof(sa);
  } else {
    char address[INET6_ADDRSTRLEN + 1];
    int32_t port;
    if (!GetString(env, argv[1], address, sizeof(address)) || !GetInt(env, argv[2], &port) || port < 0 || port > 65535) return Int(env, -EINVAL);
    int32_t record[kStride] = {0};
    if (!ToSockaddr(address, port, &sa, &len)) return Int(env, -EINVAL);
    if (sa.ss_family != s->family) {
      // An IPv4 peer of a dual-stack IPv6 socket: connect to its v4-mapped address.
      SockaddrToRecord(sa, record);
      if (!RecordToSockaddr(record, s->family, &sa, &len)) return Int(env, -EAFNOSUPPORT);
    }
  }
  if (connect(s->fd, reinterpret_cast<sockaddr*>(&sa), len) != 0) return Int(env, -errno);
  return Int(env, 0);
}

/** send(count) -> how many records failed (their length field then holds -errno). */
napi_value Send(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t count;
  if (g == nullptr) return Int(env, -ENOTCONN);
  if (!Args(env, info, 1, argv) || !GetInt(env, argv[0], &count) || count < 0) return Int(env, -EINVAL);
  count = std::min<int32_t>(count, static_cast<int32_t>(g->sendRecordCapacity));
  int failures = 0;
  int i = 0;
  while (i < count) {
    int32_t* first = g->sendRecords + static_cast<size_t>(i) * kStride;
    int32_t id = first[0];
    Socket* s = Lookup(id);
    if (s == nullptr) {
      first[2] = -EBADF;
      failures++;
      i++;
      continue;
    }
    // A run of records for the same socket goes out in one sendmmsg.
    int n = 0;
    while (i + n < count && n < kSendRun) {
      int32_t* record = g->sendRecords + static_cast<size_t>(i + n) * kStride;
      if (record[0] != id) break;
      int64_t offset = record[1], length = record[2];
      bool valid = offset >= 0 && length >= 0 && offset + length <= static_cast<int64_t>(g->sendDataBytes);
      msghdr& hdr = g->smsgs[n].msg_hdr;
      memset(&hdr, 0, sizeof(hdr));
      if (valid && record[3] != 0) {
        socklen_t len;
        valid = RecordToSockaddr(record, s->family, &g->saddr[n], &len);
        hdr.msg_name = &g->saddr[n];
        hdr.msg_namelen = len;
      }
      if (!valid) {
        if (n == 0) {
          record[2] = -EINVAL;
          failures++;
          i++;
        }
        break;
      }
      g->siov[n].iov_base = g->sendData + offset;
      g->siov[n].iov_len = static_cast<size_t>(length);
      hdr.msg_iov = &g->siov[n];
      hdr.msg_iovlen = 1;
      n++;
    }
    int done = 0;
    while (done < n) {
      int sent = sendmmsg(s->fd, &g->smsgs[done], static_cast<unsigned>(n - done), MSG_DONTWAIT);
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) {
        // EAGAIN (socket buffer full), ECONNREFUSED (an ICMP error reported here): the datagram is dropped.
        g->sendRecords[static_cast<size_t>(i + done) * kStride + 2] = sent < 0 ? -errno : -EAGAIN;
        failures++;
        done++;
      } else {
        done += sent;
      }
    }
    i += n;
  }
  return Int(env, failures);
}

/** pton(address, out: Int32Array, index) -> 4 | 6, writing family, 0, words at out[index + 3..8]; 0 when not a literal address. */
napi_value Pton(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char address[INET6_ADDRSTRLEN + 1];
  int32_t index;
  void* data;
  size_t length;
  if (!Args(env, info, 3, argv) || !GetString(env, argv[0], address, sizeof(address)) || !GetTyped(env, argv[1], napi_int32_array, &data, &length) ||
      !GetInt(env, argv[2], &index) || index < 0 || static_cast<size_t>(index) + kStride > length)
    return Int(env, 0);
  sockaddr_storage sa;
  socklen_t len;
  if (!ToSockaddr(address, 0, &sa, &len)) return Int(env, 0);
  int32_t* record = static_cast<int32_t*>(data) + index;
  SockaddrToRecord(sa, record);
  return Int(env, record[3]);
}

/** ntop(records: Int32Array, index) -> the address string of the record at index, or '' */
napi_value Ntop(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  int32_t index;
  void* data;
  size_t length;
  char text[INET6_ADDRSTRLEN + 1] = "";
  if (Args(env, info, 2, argv) && GetTyped(env, argv[0], napi_int32_array, &data, &length) && GetInt(env, argv[1], &index) && index >= 0 &&
      static_cast<size_t>(index) + kStride <= length) {
    const int32_t* record = static_cast<int32_t*>(data) + index;
    if (record[3] == 4) {
      in_addr a;
      a.s_addr = htonl(static_cast<uint32_t>(record[5]));
      inet_ntop(AF_INET, &a, text, sizeof(text));
    } else if (record[3] == 6) {
      in6_addr a;
      for (int w = 0; w < 4; w++) {
        uint32_t word = htonl(static_cast<uint32_t>(record[5 + w]));
        memcpy(a.s6_addr + 4 * w, &word, 4);
      }
      inet_ntop(AF_INET6, &a, text, sizeof(text));
    }
  }
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out);
  return out;
}

/** counters() -> [open sockets, ICMP errors read, other receive errors] */
napi_value Counters(napi_env env, napi_callback_info) {
  napi_value out, v;
  napi_create_array_with_length(env, 3, &out);
  double values[3] = {g ? static_cast<double>(g->open) : 0, g ? g->icmpErrors : 0, g ? g->receiveErrors : 0};
  for (uint32_t i = 0; i < 3; i++) {
    napi_create_double(env, values[i], &v);
    napi_set_element(env, out, i, v);
  }
  return out;
}

napi_value Register(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"init", nullptr, Init, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"connect", nullptr, Connect, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"send", nullptr, Send, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"pton", nullptr, Pton, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"ntop", nullptr, Ntop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"counters", nullptr, Counters, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  napi_value stride;
  napi_create_int32(env, kStride, &stride);
  napi_set_named_property(env, exports, "RECORD_STRIDE", stride);
  napi_value slot;
  napi_create_int32(env, static_cast<int32_t>(kRecvSlotBytes), &slot);
  napi_set_named_property(env, exports, "RECEIVE_SLOT_BYTES", slot);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Register)

// AF_INET6 on the loopback, as Linux's dual stack has it: a TCP echo over [::1] with a forked
// client, UDP over [::1], an IPv4 client reaching a [::] server (its peer is ::ffff:127.0.0.1),
// IPV6_V6ONLY turning that off, a v6 socket dialling ::ffff:127.0.0.1, ports shared between
// the families, and the errors. Every port comes from bind(port 0) and none is printed, so the
// output is the same natively, under qemu and under sysemu, and parallel runs never collide.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static struct sockaddr_in6 six(const char *addr, unsigned short port) {
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
  inet_pton(AF_INET6, addr, &a.sin6_addr);
  return a;
}

static struct sockaddr_in four(const char *addr, unsigned short port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, addr, &a.sin_addr);
  return a;
}

/** "AF_INET6 [::1] len 28" or "AF_INET 127.0.0.1 len 16", the port left out. */
static const char *fmt(const void *sa, socklen_t len) {
  static char out[2][128];
  static int k;
  char *o = out[k++ & 1], a[48];
  const struct sockaddr *s = sa;
  if (s->sa_family == AF_INET6) {
    const struct sockaddr_in6 *s6 = sa;
    inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof a);
    snprintf(o, 128, "AF_INET6 [%s] flowinfo %u scope %u len %u", a, s6->sin6_flowinfo, s6->sin6_scope_id, len);
  } else if (s->sa_family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, a, sizeof a);
    snprintf(o, 128, "AF_INET %s len %u", a, len);
  } else {
    snprintf(o, 128, "family %d len %u", s->sa_family, len);
  }
  return o;
}

static unsigned short portof(const void *sa) {
  const struct sockaddr *s = sa;
  return ntohs(s->sa_family == AF_INET6 ? ((const struct sockaddr_in6 *)sa)->sin6_port : ((const struct sockaddr_in *)sa)->sin_port);
}

static const char *name(int fd, int peer) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&ss, &len) < 0) return strerrorname_np(errno);
  return fmt(&ss, len);
}

static unsigned short localport(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &len);
  return portof(&ss);
}

/** A listening TCP socket of `family` at addr, port 0; its port in *port. */
static int listener(int family, const char *addr, int v6only, unsigned short *port) {
  int s = socket(family, SOCK_STREAM, 0);
  if (v6only >= 0) setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  if (family == AF_INET6) {
    struct sockaddr_in6 a = six(addr, 0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) perror("bind6");
  } else {
    struct sockaddr_in a = four(addr, 0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) perror("bind4");
  }
  listen(s, 4);
  *port = localport(s);
  return s;
}

static void tcp_echo(void) {
  printf("-- TCP echo over [::1], the client forked\n");
  unsigned short port;
  int l = listener(AF_INET6, "::1", -1, &port);
  printf("listener: %s, port nonzero %d\n", name(l, 0), port != 0);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = six("::1", port);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) _exit(1);
    char buf[64];
    write(c, "ping over v6", 12);
    ssize_t n = read(c, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("client: got \"%s\", local %s, peer %s\n", buf, name(c, 0), name(c, 1));
    _exit(0);
  }
  struct sockaddr_in6 peer;
  socklen_t len = sizeof peer;
  int c = accept(l, (struct sockaddr *)&peer, &len);
  printf("accepted: peer %s, local %s, local port is the listener's %d\n", fmt(&peer, len), name(c, 0), localport(c) == port);
  fflush(stdout);
  char buf[64];
  ssize_t n = read(c, buf, sizeof buf);
  write(c, buf, n);
  int st;
  waitpid(pid, &st, 0);
  printf("client exit %d; then EOF: %zd\n", WEXITSTATUS(st), read(c, buf, sizeof buf));
  close(c);
  close(l);
}

static void udp(void) {
  printf("-- UDP over [::1]\n");
  int r = socket(AF_INET6, SOCK_DGRAM, 0), s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
  struct sockaddr_in6 a = six("::1", 0);
  show("bind [::1]:0", bind(r, (struct sockaddr *)&a, sizeof a));
  unsigned short port = localport(r);
  printf("unbound sender: %s\n", name(s, 0));
  a.sin6_port = htons(port);
  show("sendto", sendto(s, "dgram one", 9, 0, (struct sockaddr *)&a, sizeof a));
  show("sendto with an RFC 2133 length (24)", sendto(s, "dgram two", 9, 0, (struct sockaddr *)&a, 24));
  char buf[70000];
  struct sockaddr_in6 from;
  socklen_t len = sizeof from;
  ssize_t n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
  printf("recvfrom: %zd \"%.*s\" from %s, the sender's port %d\n", n, (int)n, buf, fmt(&from, len), portof(&from) == localport(s));
  len = 16; // too short for a sockaddr_in6: cut, and the full length reported
  n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
  printf("recvfrom into 16 bytes: %zd, len %u\n", n, len);
  printf("sender after autobind: %s\n", name(s, 0));
  static char big[65528];
  show("sendto 65527 bytes", sendto(s, big, 65527, 0, (struct sockaddr *)&a, sizeof a));
  show("sendto 65528 bytes", sendto(s, big, 65528, 0, (struct sockaddr *)&a, sizeof a));
  show("recv the big one", recv(r, buf, sizeof buf, 0));
  show("connect", connect(s, (struct sockaddr *)&a, sizeof a));
  printf("connected: local %s, peer %s\n", name(s, 0), name(s, 1));
  show("send", send(s, "three", 5, 0));
  show("recv", recv(r, buf, sizeof buf, 0));
  struct sockaddr_in6 none = six("::1", 9);
  close(r);
  show("send to the closed port", send(s, "x", 1, 0));
  show("send again: refused", send(s, "x", 1, 0));
  show("sendto port 0", sendto(s, "x", 1, 0, (struct sockaddr *)&(struct sockaddr_in6){.sin6_family = AF_INET6, .sin6_addr = in6addr_loopback}, sizeof none));
  close(s);
}

static void dual_stack(void) {
  printf("-- an IPv4 client to a [::] server\n");
  unsigned short port;
  int l = listener(AF_INET6, "::", -1, &port);
  int v6only = -1;
  socklen_t ol = sizeof v6only;
  getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &ol);
  printf("listener: %s, IPV6_V6ONLY %d\n", name(l, 0), v6only);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = four("127.0.0.1", port);
  show("v4 connect 127.0.0.1", connect(c, (struct sockaddr *)&a, sizeof a));
  struct sockaddr_in6 peer;
  socklen_t len = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &len);
  printf("accepted: peer %s, peer port is the client's %d\n", fmt(&peer, len), portof(&peer) == localport(c));
  printf("server side: local %s, peer %s\n", name(s, 0), name(s, 1));
  printf("client side: local %s, peer %s\n", name(c, 0), name(c, 1));
  write(c, "v4 to v6", 8);
  char buf[16];
  ssize_t n = read(s, buf, sizeof buf);
  printf("server read %zd \"%.*s\"\n", n, (int)n, buf);
  close(c);
  close(s);
  int c6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 m = six("::ffff:127.0.0.1", port);
  show("v6 connect ::ffff:127.0.0.1", connect(c6, (struct sockaddr *)&m, sizeof m));
  s = accept(l, NULL, NULL);
  printf("v6 client: local %s, peer %s\n", name(c6, 0), name(c6, 1));
  printf("its server side: peer %s\n", name(s, 1));
  close(c6);
  close(s);
  int c7 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 any = six("::", port);
  show("v6 connect [::] (the loopback, as BSD has it)", connect(c7, (struct sockaddr *)&any, sizeof any));
  printf("its peer %s\n", name(c7, 1));
  close(c7);
  close(accept(l, NULL, NULL));
  close(l);

  printf("-- IPV6_V6ONLY\n");
  l = listener(AF_INET6, "::", 1, &port);
  printf("v6-only listener: %s\n", name(l, 0));
  c = socket(AF_INET, SOCK_STREAM, 0);
  a = four("127.0.0.1", port);
  show("v4 connect", connect(c, (struct sockaddr *)&a, sizeof a));
  close(c);
  c = socket(AF_INET6, SOCK_STREAM, 0);
  show("v6 connect ::ffff:127.0.0.1 from a v6-only socket", (setsockopt(c, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, 4), connect(c, (struct sockaddr *)&m, sizeof m)));
  close(c);
  show("IPV6_V6ONLY after bind", setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &(int){0}, 4));
  close(l);
  int b = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 one = six("::1", 0);
  bind(b, (struct sockaddr *)&one, sizeof one);
  ol = sizeof v6only;
  getsockopt(b, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &ol);
  printf("bound to [::1]: IPV6_V6ONLY %d (a plain v6 address makes it so)\n", v6only);
  close(b);
}

/** bind(family, addr, port) with IPV6_V6ONLY as given (-1: left alone); the socket, or -1. */
static int bindat(int type, int family, const char *addr, unsigned short port, int v6only, const char *what) {
  int s = socket(family, type, 0);
  if (v6only >= 0) setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  int r;
  if (family == AF_INET6) {
    struct sockaddr_in6 a = six(addr, port);
    r = bind(s, (struct sockaddr *)&a, sizeof a);
  } else {
    struct sockaddr_in a = four(addr, port);
    r = bind(s, (struct sockaddr *)&a, sizeof a);
  }
  show(what, r);
  if (r < 0) close(s);
  return r < 0 ? -1 : s;
}

static void shared_ports(int type, const char *kind) {
  printf("-- %s ports shared between the families\n", kind);
  int a = bindat(type, AF_INET, "127.0.0.1", 0, -1, "bind 127.0.0.1:P");
  unsigned short p = localport(a);
  int fds[8], n = 0;
  fds[n++] = bindat(type, AF_INET6, "::", p, -1, "then [::]:P");
  fds[n++] = bindat(type, AF_INET6, "::", p, 1, "then [::]:P, v6-only");
  fds[n++] = bindat(type, AF_INET6, "::1", p, -1, "then [::1]:P");
  fds[n++] = bindat(type, AF_INET6, "::ffff:127.0.0.1", p, -1, "then [::ffff:127.0.0.1]:P");
  fds[n++] = bindat(type, AF_INET6, "::1", p, -1, "[::1]:P again");
  close(a);
  for (int i = 0; i < n; i++) if (fds[i] >= 0) close(fds[i]);
  a = bindat(type, AF_INET6, "::", 0, -1, "bind [::]:Q");
  p = localport(a);
  fds[0] = bindat(type, AF_INET, "127.0.0.1", p, -1, "then 127.0.0.1:Q");
  fds[1] = bindat(type, AF_INET, "0.0.0.0", p, -1, "then 0.0.0.0:Q");
  fds[2] = bindat(type, AF_INET6, "::1", p, -1, "then [::1]:Q");
  close(a);
  for (int i = 0; i < 3; i++) if (fds[i] >= 0) close(fds[i]);
  a = bindat(type, AF_INET, "0.0.0.0", 0, -1, "bind 0.0.0.0:R");
  p = localport(a);
  fds[0] = bindat(type, AF_INET6, "::1", p, -1, "then [::1]:R");
  fds[1] = bindat(type, AF_INET6, "::", p, 1, "then [::]:R, v6-only");
  close(a);
  for (int i = 0; i < 2; i++) if (fds[i] >= 0) close(fds[i]);
}

static void udp_dual(void) {
  printf("-- UDP across the families\n");
  int r = socket(AF_INET6, SOCK_DGRAM, 0), s4 = socket(AF_INET, SOCK_DGRAM, 0), s6 = socket(AF_INET6, SOCK_DGRAM, 0);
  struct sockaddr_in6 a = six("::", 0);
  bind(r, (struct sockaddr *)&a, sizeof a);
  unsigned short port = localport(r);
  struct sockaddr_in to4 = four("127.0.0.1", port);
  show("v4 sendto 127.0.0.1", sendto(s4, "from v4", 7, 0, (struct sockaddr *)&to4, sizeof to4));
  show("v6 sendto a sockaddr_in", sendto(s6, "v6 as v4", 8, 0, (struct sockaddr *)&to4, sizeof to4));
  struct sockaddr_in6 m = six("::ffff:127.0.0.1", port);
  show("v6 sendto ::ffff:127.0.0.1", sendto(s6, "mapped", 6, 0, (struct sockaddr *)&m, sizeof m));
  char buf[32];
  for (int i = 0; i < 3; i++) {
    struct sockaddr_in6 from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    printf("recvfrom: \"%.*s\" from %s\n", (int)n, buf, fmt(&from, len));
  }
  printf("v6 sender: %s\n", name(s6, 0));
  show("v6 connect a sockaddr_in", connect(s6, (struct sockaddr *)&to4, sizeof to4));
  printf("connected: local %s, peer %s\n", name(s6, 0), name(s6, 1));
  int o = socket(AF_INET6, SOCK_DGRAM, 0);
  setsockopt(o, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, 4);
  show("v6-only sendto ::ffff:127.0.0.1", sendto(o, "x", 1, 0, (struct sockaddr *)&m, sizeof m));
  show("v6-only sendto a sockaddr_in", sendto(o, "x", 1, 0, (struct sockaddr *)&to4, sizeof to4));
  show("v6-only connect a sockaddr_in", connect(o, (struct sockaddr *)&to4, sizeof to4));
  show("v6-only connect ::ffff:127.0.0.1", connect(o, (struct sockaddr *)&m, sizeof m));
  close(o);
  close(r);
  close(s4);
  close(s6);
}

static void errors(void) {
  printf("-- errors\n");
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a = six("::1", 0);
  show("bind, 16 bytes", bind(s, (struct sockaddr *)&a, 16));
  show("bind, 23 bytes", bind(s, (struct sockaddr *)&a, 23));
  struct sockaddr_in6 wrong = a;
  wrong.sin6_family = AF_INET;
  show("bind, sin6_family AF_INET", bind(s, (struct sockaddr *)&wrong, sizeof wrong));
  struct sockaddr_in6 far = six("2001:db8::1", 0);
  show("bind 2001:db8::1", bind(s, (struct sockaddr *)&far, sizeof far));
  show("bind [::1]:0 with 24 bytes", bind(s, (struct sockaddr *)&a, 24));
  show("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
  unsigned short p = localport(s);
  int t = socket(AF_INET6, SOCK_STREAM, 0);
  a.sin6_port = htons(p);
  show("bind a second socket to the port", bind(t, (struct sockaddr *)&a, sizeof a));
  show("connect to it, nobody listening", connect(t, (struct sockaddr *)&a, sizeof a));
  show("connect, 16 bytes", connect(t, (struct sockaddr *)&a, 16));
  show("connect, sin6_family AF_INET", connect(t, (struct sockaddr *)&wrong, sizeof wrong));
  close(t);
  t = socket(AF_INET6, SOCK_STREAM, 0);
  setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &(int){1}, 4);
  struct sockaddr_in6 m = six("::ffff:127.0.0.1", 0);
  show("v6-only bind ::ffff:127.0.0.1", bind(t, (struct sockaddr *)&m, sizeof m));
  close(t);
  close(s);
  show("socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP)", socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP));
  int sv[2];
  show("socketpair(AF_INET6)", socketpair(AF_INET6, SOCK_STREAM, 0, sv));
  int v4 = socket(AF_INET, SOCK_STREAM, 0), v;
  socklen_t l = sizeof v;
  show("IPV6_V6ONLY on an AF_INET socket", getsockopt(v4, IPPROTO_IPV6, IPV6_V6ONLY, &v, &l));
  struct sockaddr_in6 to6 = six("::1", 1);
  show("AF_INET socket, connect sockaddr_in6", connect(v4, (struct sockaddr *)&to6, sizeof to6));
  close(v4);
  int u = socket(AF_INET6, SOCK_DGRAM, 0);
  show("v6 UDP sendto, 23 bytes", sendto(u, "x", 1, 0, (struct sockaddr *)&to6, 23));
  show("v6 UDP sendto, 1 byte", sendto(u, "x", 1, 0, (struct sockaddr *)&to6, 1));
  struct sockaddr_in6 unix_fam = to6;
  unix_fam.sin6_family = AF_UNIX;
  show("v6 UDP sendto, family AF_UNIX", sendto(u, "x", 1, 0, (struct sockaddr *)&unix_fam, sizeof unix_fam));
  show("v6 UDP send, unconnected", send(u, "x", 1, 0));
  int h = -1;
  l = sizeof h;
  getsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &h, &l);
  printf("IPV6_UNICAST_HOPS: %d\n", h);
  show("IPV6_UNICAST_HOPS 300", setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &(int){300}, 4));
  int d = -1;
  l = sizeof d;
  getsockopt(u, SOL_SOCKET, SO_DOMAIN, &d, &l);
  printf("SO_DOMAIN: %d (AF_INET6 is %d)\n", d, AF_INET6);
  close(u);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "local") == 0) {
    // sysemu has only the loopback: a v6 network elsewhere has no route
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 far = six("2001:db8::1", 80);
    show("connect [2001:db8::1]", connect(s, (struct sockaddr *)&far, sizeof far));
    show("sendto [2001:db8::1]", sendto(socket(AF_INET6, SOCK_DGRAM, 0), "x", 1, 0, (struct sockaddr *)&far, sizeof far));
    return 0;
  }
  tcp_echo();
  udp();
  dual_stack();
  shared_ports(SOCK_STREAM, "TCP");
  shared_ports(SOCK_DGRAM, "UDP");
  udp_dual();
  errors();
  return 0;
}

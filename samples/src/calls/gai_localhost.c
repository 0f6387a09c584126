// getaddrinfo as a glibc program uses it on a loopback-only machine. Several answers get sorted
// by RFC 3484 (glibc's rfc3484_sort): that asks rtnetlink which addresses are configured
// (__check_pf: an RTM_GETADDR dump, or both families assumed where AF_NETLINK is missing) and
// connects a UDP socket to each answer to learn the source address it would use. The output
// holds no ports and no names from /etc/hosts beyond "localhost", so it is the same natively
// and under sysemu.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *fam(int f) {
  return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : "?";
}

static void ask(const char *host, const char *serv, int family, int flags, int socktype) {
  struct addrinfo hints = {.ai_family = family, .ai_flags = flags, .ai_socktype = socktype}, *res;
  int r = getaddrinfo(host, serv, &hints, &res);
  printf("getaddrinfo(%s, %s, %s%s%s%s%s):", host ? host : "NULL", serv, family == AF_UNSPEC ? "AF_UNSPEC" : fam(family),
         flags & AI_PASSIVE ? "|AI_PASSIVE" : "", flags & AI_NUMERICHOST ? "|AI_NUMERICHOST" : "", flags & AI_V4MAPPED ? "|AI_V4MAPPED" : "", flags & AI_ADDRCONFIG ? "|AI_ADDRCONFIG" : "");
  if (r != 0) {
    printf(" %s\n", gai_strerror(r));
    return;
  }
  printf("\n");
  for (struct addrinfo *p = res; p; p = p->ai_next) {
    char a[64];
    unsigned port;
    if (p->ai_family == AF_INET6) {
      struct sockaddr_in6 *s = (struct sockaddr_in6 *)p->ai_addr;
      inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof a);
      port = ntohs(s->sin6_port);
    } else {
      struct sockaddr_in *s = (struct sockaddr_in *)p->ai_addr;
      inet_ntop(AF_INET, &s->sin_addr, a, sizeof a);
      port = ntohs(s->sin_port);
    }
    printf("  %s %s port %u socktype %d protocol %d addrlen %u\n", fam(p->ai_family), a, port, p->ai_socktype, p->ai_protocol, p->ai_addrlen);
  }
  freeaddrinfo(res);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  ask("localhost", "8080", AF_UNSPEC, 0, SOCK_STREAM);
  ask("localhost", "8080", AF_INET, 0, SOCK_STREAM);
  ask("localhost", "8080", AF_UNSPEC, AI_ADDRCONFIG, SOCK_STREAM);
  ask(NULL, "8080", AF_UNSPEC, 0, SOCK_STREAM);
  ask(NULL, "8080", AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM);
  ask(NULL, "8080", AF_INET6, 0, SOCK_STREAM);
  ask("::1", "8080", AF_UNSPEC, AI_NUMERICHOST, SOCK_STREAM);
  ask("::ffff:127.0.0.1", "8080", AF_INET6, AI_NUMERICHOST, SOCK_STREAM);
  ask("127.0.0.1", "8080", AF_INET6, AI_NUMERICHOST | AI_V4MAPPED, SOCK_STREAM);
  ask("::1", "8080", AF_INET, AI_NUMERICHOST, SOCK_STREAM);
  ask("127.0.0.1", "http", AF_UNSPEC, AI_NUMERICHOST, 0);
  return 0;
}

// The network interfaces of a loopback-only machine (Linux inside `unshare -n` with lo up, or
// sysemu): getifaddrs and if_nameindex (glibc asks rtnetlink: RTM_GETLINK and RTM_GETADDR
// dumps), if_nametoindex/if_indextoname and the SIOCGIF* ioctls, and a raw NETLINK_ROUTE
// socket's names, dumps and NLMSG_DONE. "ifaddrs local" prints what only sysemu promises: an
// NLMSG_ERROR of -EOPNOTSUPP for a request it does not answer.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static const char *addr(const struct sockaddr *sa) {
  static char out[4][80];
  static int k;
  char *o = out[k++ & 3];
  if (!sa) return "none";
  if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, o, 80);
  else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
    char a[64];
    inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof a);
    snprintf(o, 80, "%s scope %u", a, s->sin6_scope_id);
  } else if (sa->sa_family == AF_PACKET) {
    const struct sockaddr_ll *l = (const struct sockaddr_ll *)sa;
    int n = snprintf(o, 80, "ifindex %d hatype %u halen %u", l->sll_ifindex, l->sll_hatype, l->sll_halen);
    for (int i = 0; i < l->sll_halen && n < 70; i++) n += snprintf(o + n, 80 - n, "%c%02x", i ? ':' : ' ', l->sll_addr[i]);
  } else snprintf(o, 80, "family %d", sa->sa_family);
  return o;
}

static const char *fam(int f) {
  return f == AF_PACKET ? "AF_PACKET" : f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6" : "?";
}

static void interfaces(void) {
  printf("-- getifaddrs\n");
  struct ifaddrs *ifa, *p;
  show("getifaddrs", getifaddrs(&ifa));
  for (p = ifa; p; p = p->ifa_next) {
    printf("%s %s flags %#x addr %s netmask %s", p->ifa_name, p->ifa_addr ? fam(p->ifa_addr->sa_family) : "-", p->ifa_flags, addr(p->ifa_addr), addr(p->ifa_netmask));
    printf(" %s %s data %s\n", p->ifa_flags & IFF_POINTOPOINT ? "dst" : "brd", addr(p->ifa_broadaddr), p->ifa_data ? "yes" : "no");
  }
  freeifaddrs(ifa);
  printf("-- if_nameindex\n");
  struct if_nameindex *ni = if_nameindex();
  for (struct if_nameindex *q = ni; q && q->if_index; q++) printf("%u %s\n", q->if_index, q->if_name);
  if_freenameindex(ni);
  printf("if_nametoindex(lo): %u\n", if_nametoindex("lo"));
  unsigned bad = if_nametoindex("nosuch0");
  printf("if_nametoindex(nosuch0): %u %s\n", bad, strerrorname_np(errno));
  char name[IF_NAMESIZE];
  printf("if_indextoname(1): %s\n", if_indextoname(1, name) ? name : strerrorname_np(errno));
  printf("if_indextoname(99): %s\n", if_indextoname(99, name) ? name : strerrorname_np(errno));
}

static void ioctls(int family, int type) {
  printf("-- SIOCGIF* on an %s socket\n", family == AF_UNIX ? "AF_UNIX" : family == AF_INET ? "AF_INET" : "AF_INET6");
  int s = socket(family, type, 0);
  struct ifreq r;
  memset(&r, 0, sizeof r);
  strcpy(r.ifr_name, "lo");
  show("SIOCGIFINDEX lo", ioctl(s, SIOCGIFINDEX, &r));
  printf("  ifindex %d\n", r.ifr_ifindex);
  show("SIOCGIFFLAGS lo", ioctl(s, SIOCGIFFLAGS, &r));
  printf("  flags %#x\n", (unsigned short)r.ifr_flags);
  show("SIOCGIFMTU lo", ioctl(s, SIOCGIFMTU, &r));
  printf("  mtu %d\n", r.ifr_mtu);
  memset(&r, 0, sizeof r);
  r.ifr_ifindex = 1;
  show("SIOCGIFNAME 1", ioctl(s, SIOCGIFNAME, &r));
  printf("  name %s\n", r.ifr_name);
  r.ifr_ifindex = 7;
  show("SIOCGIFNAME 7", ioctl(s, SIOCGIFNAME, &r));
  memset(&r, 0, sizeof r);
  strcpy(r.ifr_name, "nosuch0");
  show("SIOCGIFFLAGS nosuch0", ioctl(s, SIOCGIFFLAGS, &r));
  show("SIOCGIFMTU nosuch0", ioctl(s, SIOCGIFMTU, &r));
  close(s);
}

/** Sends one request and prints the answers until NLMSG_DONE or NLMSG_ERROR. */
static void request(int s, int type, int flags, int family, unsigned seq, unsigned pid) {
  struct {
    struct nlmsghdr h;
    union {
      struct ifinfomsg i;
      struct ifaddrmsg a;
    } u;
  } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = NLMSG_LENGTH(type == RTM_GETADDR ? sizeof(struct ifaddrmsg) : sizeof(struct ifinfomsg));
  req.h.nlmsg_type = type;
  req.h.nlmsg_flags = NLM_F_REQUEST | flags;
  req.h.nlmsg_seq = seq;
  if (type == RTM_GETADDR) req.u.a.ifa_family = family;
  else req.u.i.ifi_family = family;
  struct sockaddr_nl to = {.nl_family = AF_NETLINK};
  show("  sendto", sendto(s, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof to) > 0 ? 0 : -1);
  for (;;) {
    char buf[16384];
    struct sockaddr_nl from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    if (n < 0) {
      show("  recvfrom", n);
      return;
    }
    printf("  recvfrom: from nl_pid %u len %u\n", from.nl_pid, fl);
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      printf("  msg type %u flags %#x seq ok %d pid ok %d", h->nlmsg_type, h->nlmsg_flags, h->nlmsg_seq == seq, h->nlmsg_pid == pid);
      if (h->nlmsg_type == NLMSG_DONE) {
        printf(" DONE %d\n", *(int *)NLMSG_DATA(h));
        return;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        printf(" ERROR %s, request type %u\n", e->error ? strerrorname_np(-e->error) : "0", e->msg.nlmsg_type);
        return;
      }
      if (h->nlmsg_type == RTM_NEWLINK) {
        struct ifinfomsg *i = NLMSG_DATA(h);
        printf(" NEWLINK family %u type %u index %d flags %#x change %#x\n", i->ifi_family, i->ifi_type, i->ifi_index, i->ifi_flags, i->ifi_change);
        int len = IFLA_PAYLOAD(h);
        for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
          if (a->rta_type == IFLA_IFNAME) printf("    IFLA_IFNAME %s\n", (char *)RTA_DATA(a));
          if (a->rta_type == IFLA_MTU) printf("    IFLA_MTU %u\n", *(unsigned *)RTA_DATA(a));
          if (a->rta_type == IFLA_ADDRESS) printf("    IFLA_ADDRESS %u bytes\n", (unsigned)RTA_PAYLOAD(a));
          if (a->rta_type == IFLA_TXQLEN) printf("    IFLA_TXQLEN %u\n", *(unsigned *)RTA_DATA(a));
          if (a->rta_type == IFLA_OPERSTATE) printf("    IFLA_OPERSTATE %u\n", *(unsigned char *)RTA_DATA(a));
        }
      } else if (h->nlmsg_type == RTM_NEWADDR) {
        struct ifaddrmsg *a = NLMSG_DATA(h);
        printf(" NEWADDR family %u prefixlen %u scope %u index %u\n", a->ifa_family, a->ifa_prefixlen, a->ifa_scope, a->ifa_index);
        int len = IFA_PAYLOAD(h);
        for (struct rtattr *r = IFA_RTA(a); RTA_OK(r, len); r = RTA_NEXT(r, len)) {
          char t[64];
          if (r->rta_type == IFA_ADDRESS || r->rta_type == IFA_LOCAL) {
            inet_ntop(a->ifa_family, RTA_DATA(r), t, sizeof t);
            printf("    %s %s\n", r->rta_type == IFA_ADDRESS ? "IFA_ADDRESS" : "IFA_LOCAL", t);
          }
          if (r->rta_type == IFA_LABEL) printf("    IFA_LABEL %s\n", (char *)RTA_DATA(r));
        }
      } else {
        printf("\n");
      }
    }
  }
}

static void rtnetlink(int local) {
  printf("-- NETLINK_ROUTE\n");
  show("socket(AF_NETLINK, SOCK_STREAM)", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
  int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl me;
  socklen_t len = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &len);
  printf("before bind: family %u nl_pid %u len %u\n", me.nl_family, me.nl_pid, len);
  struct sockaddr_nl any = {.nl_family = AF_NETLINK};
  show("bind, 8 bytes", bind(s, (struct sockaddr *)&any, 8));
  show("bind", bind(s, (struct sockaddr *)&any, sizeof any));
  len = sizeof me;
  getsockname(s, (struct sockaddr *)&me, &len);
  printf("after bind: nl_pid is our pid %d, len %u\n", me.nl_pid == (unsigned)getpid(), len);
  if (local) {
    printf("RTM_GETROUTE dump:\n");
    request(s, RTM_GETROUTE, NLM_F_DUMP, AF_INET, 7, me.nl_pid);
    close(s);
    return;
  }
  printf("RTM_GETLINK dump:\n");
  request(s, RTM_GETLINK, NLM_F_DUMP, AF_UNSPEC, 1, me.nl_pid);
  printf("RTM_GETADDR dump, AF_INET:\n");
  request(s, RTM_GETADDR, NLM_F_DUMP, AF_INET, 2, me.nl_pid);
  printf("RTM_GETADDR dump, AF_INET6:\n");
  request(s, RTM_GETADDR, NLM_F_DUMP, AF_INET6, 3, me.nl_pid);
  printf("RTM_GETADDR dump, AF_UNSPEC:\n");
  request(s, RTM_GETADDR, NLM_F_DUMP, AF_UNSPEC, 4, me.nl_pid);
  int t = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
  show("second socket, bind", bind(t, (struct sockaddr *)&any, sizeof any));
  len = sizeof me;
  getsockname(t, (struct sockaddr *)&me, &len);
  printf("its nl_pid is not our pid: %d\n", me.nl_pid != (unsigned)getpid());
  close(t);
  close(s);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int local = argc > 1 && strcmp(argv[1], "local") == 0;
  if (!local) {
    interfaces();
    ioctls(AF_INET, SOCK_DGRAM);
    ioctls(AF_UNIX, SOCK_DGRAM);
    ioctls(AF_INET6, SOCK_STREAM);
  }
  rtnetlink(local);
  return 0;
}

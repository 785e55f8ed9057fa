/* kpeek.c — read kernel memory in a guest of tools/oracle/capture, through
 * /proc/kcore: a freestanding static program (no libc), built for i386 and
 * x86_64 as tools/oracle/scripts/percpu-probe.sh says.
 *   kpeek VA LEN          hex dump of LEN bytes at VA, one word (8 or 4 bytes) a line
 *   kpeek @PTRVA OFF LEN  the same at (*PTRVA + OFF): a structure a pointer names
 *   kpeek find LO HI BITS i386 (no data symbols in the 686 kallsyms): scan the
 *                         direct map [LO,HI) top down for a struct pcpu_chunk whose
 *                         chunk_md.nr_bits is BITS (the first chunk's unit bits)
 * Used to read the percpu allocator's state after boot: docs/notes/percpu.md. */
typedef unsigned long ul;
typedef unsigned long long u64;
typedef unsigned int u32;
#ifdef __x86_64__
static long sc(long n,long a,long b,long c,long d){long r;register long r10 asm("r10")=d;
 asm volatile("syscall":"=a"(r):"a"(n),"D"(a),"S"(b),"d"(c),"r"(r10):"rcx","r11","memory");return r;}
#define SYS_open 2
#define SYS_read 0
#define SYS_write 1
#define SYS_exit 60
static long xpread(int fd,void*b,long n,u64 off){return sc(17,fd,(long)b,n,(long)off);}
asm(".globl _start\n_start: xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n call cmain\n hlt\n");
#else
static long sc5(long n,long a,long b,long c,long d,long e){long r;
 asm volatile("push %%ebx\n mov %2,%%ebx\n int $0x80\n pop %%ebx":"=a"(r):"a"(n),"g"(a),"c"(b),"d"(c),"S"(d),"D"(e):"memory");return r;}
static long sc(long n,long a,long b,long c,long d){return sc5(n,a,b,c,d,0);}
#define SYS_open 5
#define SYS_read 3
#define SYS_write 4
#define SYS_exit 1
static long xpread(int fd,void*b,long n,u64 off){return sc5(180,fd,(long)b,n,(long)(u32)off,(long)(u32)(off>>32));}
asm(".globl _start\n_start: xor %ebp,%ebp\n mov %esp,%eax\n and $-16,%esp\n push %eax\n push %eax\n push %eax\n push %eax\n call cmain\n hlt\n");
#endif
void *memset(void*d,int c,ul n){unsigned char*p=d;while(n--)*p++=c;return d;}
void *memcpy(void*d,const void*s,ul n){unsigned char*p=d;const unsigned char*q=s;while(n--)*p++=*q++;return d;}
static char obuf[65536]; static int olen;
static void flush(void){if(olen)sc(SYS_write,1,(long)obuf,olen,0);olen=0;}
static void ps(const char*s){while(*s){if(olen>=(int)sizeof obuf)flush();obuf[olen++]=*s++;}}
static void px(u64 v,int w){char b[17];int i;for(i=15;i>=0;i--){b[i]="0123456789abcdef"[v&15];v>>=4;}b[16]=0;ps(b+16-w);}
static void die(const char*s){ps("kpeek: ");ps(s);ps("\n");flush();sc(SYS_exit,1,0,0,0);}
static u64 hex(const char*s){u64 v=0;if(s[0]=='0'&&(s[1]=='x'||s[1]=='X'))s+=2;for(;*s;s++){int c=*s;v<<=4;
 if(c>='0'&&c<='9')v|=c-'0';else if(c>='a'&&c<='f')v|=c-'a'+10;else if(c>='A'&&c<='F')v|=c-'A'+10;}return v;}
static int kfd; static int is64;
struct seg{u64 va,off,sz;} segs[512]; static int nseg;
static unsigned char hdr[65536];
static void loadelf(void){
 long n=xpread(kfd,hdr,sizeof hdr,0); if(n<64) die("kcore header");
 is64 = hdr[4]==2; int i;
 if(is64){u64 phoff=*(u64*)(hdr+32);int phent=*(unsigned short*)(hdr+54),phnum=*(unsigned short*)(hdr+56);
  for(i=0;i<phnum&&nseg<512;i++){unsigned char*p=hdr+phoff+i*phent;if(*(u32*)p!=1)continue;
   segs[nseg].off=*(u64*)(p+8);segs[nseg].va=*(u64*)(p+16);segs[nseg].sz=*(u64*)(p+40);nseg++;}}
 else{u32 phoff=*(u32*)(hdr+28);int phent=*(unsigned short*)(hdr+42),phnum=*(unsigned short*)(hdr+44);
  for(i=0;i<phnum&&nseg<512;i++){unsigned char*p=hdr+phoff+i*phent;if(*(u32*)p!=1)continue;
   segs[nseg].off=*(u32*)(p+4);segs[nseg].va=*(u32*)(p+8);segs[nseg].sz=*(u32*)(p+20);nseg++;}}
}
static int readva(u64 va,void*buf,long n){int i;for(i=0;i<nseg;i++)if(va>=segs[i].va&&va+n<=segs[i].va+segs[i].sz){
  return xpread(kfd,buf,n,segs[i].off+(va-segs[i].va))==n;}return 0;}
/* find: a struct pcpu_chunk in its 32-bit layout — list.next == list.prev (a
 * one-chunk slot list) pointing into the kernel, free_bytes within the unit,
 * chunk_md.nr_bits (word 10) == BITS; prints each match's first 24 words. */
static u32 pg[1024];
static void find(u64 lo,u64 hi,u32 nb){int found=0;
 for(u64 va=hi-4096; va>=lo && found<4; va-=4096){
  if(!readva(va,pg,4096))continue;
  for(int i=0;i+24<1024;i++){
   u32 n=pg[i],p=pg[i+1],fb=pg[i+2],nbits=pg[i+10];
   if(nbits!=nb||n!=p||n<0xc0000000u||fb==0||fb>nb*4)continue;
   ps("match at ");px(va+i*4,8);ps("\n");
   for(int k=0;k<24;k++){px(k*4,2);ps(": ");px(pg[i+k],8);ps("\n");}
   found++;
  }
 }
 ps("done\n");}
static int streq(const char*a,const char*b){while(*a&&*a==*b){a++;b++;}return *a==*b;}
void cmain(long*sp){int argc=(int)sp[0];char**argv=(char**)(sp+1);
 if(argc<3)die("usage: kpeek VA LEN | kpeek @PTRVA OFF LEN | kpeek find LO HI BITS");
 kfd=sc(SYS_open,(long)"/proc/kcore",0,0,0); if(kfd<0)die("open /proc/kcore");
 loadelf(); u64 va; int ai=1;
 if(streq(argv[1],"find")){if(argc<5)die("usage: kpeek find LO HI BITS");
  find(hex(argv[2]),hex(argv[3]),(u32)hex(argv[4])); flush(); sc(SYS_exit,0,0,0,0);}
 if(argv[1][0]=='@'){if(argc<4)die("usage: kpeek @PTRVA OFF LEN");
  u64 p=0; if(!readva(hex(argv[1]+1),&p,is64?8:4))die("read ptr"); va=p+hex(argv[2]); ai=3;}
 else {va=hex(argv[1]); ai=2;}
 u64 len=hex(argv[ai]); static unsigned char b[65536]; if(len>sizeof b)len=sizeof b;
 if(!readva(va,b,(long)len))die("read");
 ps("at ");px(va,is64?16:8);ps("\n"); int w=is64?8:4; u64 i;
 for(i=0;i<len;i+=w){u64 v=0;memcpy(&v,b+i,w); px(i,4);ps(": ");px(v,w*2);ps("\n");}
 flush(); sc(SYS_exit,0,0,0,0);}

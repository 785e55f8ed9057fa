/* ptwalk: freestanding x86 page-table walker for the guest (reads /proc/kcore).
 * usage: ptwalk PGD_VADDR_HEX [PAGE_OFFSET_HEX]
 * Prints every leaf mapping of the kernel half, coalesced like ptdump. */
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
static void pd(u64 v){char b[24];int i=23;b[i]=0;if(!v)b[--i]='0';while(v){u64 q=0,r=0;int k;/* v/10 without libgcc */
 for(k=63;k>=0;k--){r=(r<<1)|((v>>k)&1);q<<=1;if(r>=10){r-=10;q|=1;}} b[--i]='0'+(int)r;v=q;} ps(b+i);}
static void die(const char*s){ps("ptwalk: ");ps(s);ps("\n");flush();sc(SYS_exit,1,0,0,0);}
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
static u64 page_offset;
static int readphys(u64 pa,void*buf){return readva(page_offset+pa,buf,4096);}
/* coalescing state */
static u64 c_va,c_end,c_pa,c_flags; static int c_lvl=-1;
static u64 cnt[4][3]; /* [level][region] */
static const char*lvlname[]={"4K","2M/4M","1G","?"};
static void emit(void){ if(c_lvl<0)return; px(c_va,is64?16:8);ps("-");px(c_end,is64?16:8);ps(" pa ");px(c_pa,10);ps("-");px(c_pa+(c_end-c_va),10);
 ps(" ");pd((c_end-c_va)>>10);ps("K ");ps(c_lvl==0?"pte":c_lvl==1?"pmd":"pud");ps(" ");
 ps(c_flags&2?"RW ":"ro ");ps(c_flags&4?"USR ":"    ");ps(c_flags&8?"PWT ":"    ");ps(c_flags&16?"PCD ":"    ");
 ps(c_flags&0x100?"GLB ":"    ");ps(c_flags&(1ull<<63)?"NX":"x ");ps(c_flags&0x1000?" PAT":"");ps("\n");c_lvl=-1;}
static void leaf(u64 va,u64 sz,int lvl,u64 e,u64 pa){u64 f=e&(0x11eull|(1ull<<63)); if(lvl==0&&(e&0x80))f|=0x1000; if(lvl>0&&(e&0x1000))f|=0x1000;
 if(c_lvl==lvl&&c_flags==f&&c_end==va&&c_pa+(c_end-c_va)==pa){c_end=va+sz;return;} emit(); c_va=va;c_end=va+sz;c_pa=pa;c_flags=f;c_lvl=lvl;}
static u64 dm_lo,dm_hi,hm_lo,hm_hi;
static void count(u64 va,u64 pa,int lvl){int r=2;if(is64?(va>=dm_lo&&va<dm_hi):(va-page_offset==pa))r=0;else if(va>=hm_lo&&va<hm_hi)r=1;cnt[lvl][r]++;}
static u64 tbl[4][512]; static u32 tbl32[2][1024];
void cmain(long*sp){int argc=(int)sp[0];char**argv=(char**)(sp+1);
 if(argc<2)die("usage: ptwalk PGD_VA [PAGE_OFFSET]");
 kfd=sc(SYS_open,(long)"/proc/kcore",0,0,0); if(kfd<0)die("open /proc/kcore");
 loadelf(); u64 pgd=hex(argv[1]);
 if(is64){page_offset=0xffff888000000000ull;
  if(argc>2&&argv[2][0]=='@'){ if(!readva(hex(argv[2]+1),&page_offset,8))die("read page_offset_base"); }
  else if(argc>2) page_offset=hex(argv[2]);
  ps("page_offset ");px(page_offset,16);ps("\n"); dm_lo=page_offset;dm_hi=page_offset+(1ull<<46);hm_lo=0xffffffff80000000ull;hm_hi=0xffffffffc0000000ull;
  if(!readva(pgd,tbl[0],4096))die("read pgd"); int a,b,c,d; u64 M=0x000ffffffffff000ull;
  for(a=256;a<512;a++){u64 e=tbl[0][a];if(!(e&1))continue;u64 va0=0xffff000000000000ull|((u64)a<<39);
   if(!readphys(e&M,tbl[1])){emit();ps("unreadable pud\n");continue;}
   for(b=0;b<512;b++){u64 f=tbl[1][b];if(!(f&1))continue;u64 va1=va0|((u64)b<<30);
    if(f&0x80){leaf(va1,1ull<<30,2,f,f&0x000fffffc0000000ull);count(va1,f&0x000fffffc0000000ull,2);continue;}
    if(!readphys(f&M,tbl[2])){emit();ps("unreadable pmd\n");continue;}
    for(c=0;c<512;c++){u64 g=tbl[2][c];if(!(g&1))continue;u64 va2=va1|((u64)c<<21);
     if(g&0x80){leaf(va2,1ull<<21,1,g,g&0x000fffffffe00000ull);count(va2,(g&0x000fffffffe00000ull),1);continue;}
     if(!readphys(g&M,tbl[3])){emit();ps("unreadable pte\n");continue;}
     for(d=0;d<512;d++){u64 h=tbl[3][d];if(!(h&1))continue;u64 va3=va2|((u64)d<<12);leaf(va3,4096,0,h,h&M);count(va3,h&M,0);}}}}
 } else { page_offset=0xc0000000ull; dm_lo=page_offset; dm_hi=argc>2?hex(argv[2]):0xf8000000ull; hm_lo=hm_hi=0;
  if(!pgd){ /* i386 kallsyms has no data symbols (no KALLSYMS_ALL): find swapper_pg_dir by
     scanning the kernel image (16M..64M) for a page directory whose user half is empty and
     whose entry for 0xc1000000 is a 4M page of pa 0x01000000 */
   u64 pa; int n=0,i; for(pa=0x1000000;pa<0x4000000;pa+=4096){ if(!readphys(pa,tbl32[0]))continue;
    for(i=0;i<768&&!tbl32[0][i];i++); if(i<768)continue; if((tbl32[0][772]&0xffc00081u)!=0x01000081u)continue;
    if(!(tbl32[0][768]&1))continue; if(!n)pgd=page_offset+pa; n++; }
   if(!n)die("no page directory found"); ps("pgd (scan): ");px(pgd,8);ps(" candidates ");pd(n);ps("\n"); }
  if(!readva(pgd,tbl32[0],4096))die("read pgd"); int a,d;
  for(a=768;a<1024;a++){u32 e=tbl32[0][a];if(!(e&1))continue;u64 va1=(u64)a<<22;
   if(e&0x80){leaf(va1,1ull<<22,1,e,e&0xffc00000u);count(va1,e&0xffc00000u,1);continue;}
   if(!readphys(e&0xfffff000u,tbl32[1])){emit();ps("unreadable pte\n");continue;}
   for(d=0;d<1024;d++){u32 h=tbl32[1][d];if(!(h&1))continue;u64 va3=va1|((u64)d<<12);leaf(va3,4096,0,h,h&0xfffff000u);count(va3,h&0xfffff000u,0);}}
 }
 emit();
 ps("SUMMARY direct-map: 4K ");pd(cnt[0][0]*4);ps(" kB, large ");pd(cnt[1][0]*(is64?2048:4096));ps(" kB, 1G ");pd(cnt[2][0]<<20);ps(" kB\n");
 ps("SUMMARY highmap: 4K ");pd(cnt[0][1]*4);ps(" kB, 2M ");pd(cnt[1][1]*2048);ps(" kB\n");
 flush(); sc(SYS_exit,0,0,0,0);}

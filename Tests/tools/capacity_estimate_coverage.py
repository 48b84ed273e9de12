#!/usr/bin/env python3
"""How good CapacityEstimate is: coverage of its 95% interval and its error on synthetic
fleets of known capacity (docs/import.md, "How good it is"). A replica of
Sources/Workload/CapacityEstimate.swift in the same arithmetic; standard library only;
about a minute. Prints per case: coverage %, median and worst error %, median width %.
"""
import math, random, statistics
def fit(x, y):
    s = max(x); u = [v/s for v in x]; w = [1.0]*len(u)
    def ws(w): return sum(wi*ui*yi for wi,ui,yi in zip(w,u,y))/sum(wi*ui*ui for wi,ui in zip(w,u))
    b = ws(w)
    for _ in range(100):
        r = [yi-b*ui for ui,yi in zip(u,y)]
        sc = statistics.median([abs(v) for v in r])/0.6744897501960817
        if sc <= 0: break
        k = 1.345*sc
        w = [1 if abs(v)<=k else k/abs(v) for v in r]
        nb = ws(w)
        conv = abs(nb-b) <= 1e-12*abs(b); b = nb
        if conv: break
    r = [yi-b*ui for ui,yi in zip(u,y)]
    n = len(u)
    sc = statistics.median([abs(v) for v in r])/0.6744897501960817; k=1.345*sc
    p = [max(-k,min(k,v)) for v in r] if sc>0 else r
    sq = sum(v*v for v in p); lag = sum(p[i]*p[i-1] for i in range(1,n))
    rho = min(max(lag/sq,-0.99),0.99) if sq>0 else 0
    inf = (1+rho)/(1-rho) if rho>0 else 1
    var = sum(wi*v*v for wi,v in zip(w,r))/(n-1)/sum(wi*ui*ui for wi,ui in zip(w,u))*inf
    se = math.sqrt(var); z=1.959963984540054
    return 100*s/b, 100*s/(b+z*se), (100*s/(b-z*se) if b-z*se>0 else math.inf)
def run(idle, sd, ar, spikes, seeds=200, n=1344, truth=400):
    cover=0; errs=[]; widths=[]
    for seed in range(seeds):
        g = random.Random(seed); e=0
        x=[]; y=[]
        for t in range(n):
            rate = 50 + 120*(1-math.cos(2*math.pi*(t%48)/48))  # per instance per minute
            e = ar*e + math.sqrt(1-ar*ar)*g.gauss(0,sd)
            c = idle + (100-idle)*rate/truth + e
            if spikes and t%48==6: c += 25
            x.append(rate); y.append(min(100,max(0,c)))
        est, lo, hi = fit(x,y)
        cover += lo <= truth <= hi; errs.append(abs(est-truth)/truth*100); widths.append((hi-lo)/truth*100)
    return cover/seeds*100, statistics.median(errs), max(errs), statistics.median(widths)
for name, args in [("iid sd 1.5, no idle", (0,1.5,0,False)), ("iid sd 1.5, spikes", (0,1.5,0,True)),
                   ("AR(1) 0.8 sd 3", (0,3,0.8,False)), ("AR(1) 0.8 sd 3, spikes", (0,3,0.8,True)),
                   ("idle 2%, sd 1.5, spikes", (2,1.5,0,True)), ("idle 10%, sd 1.5", (10,1.5,0,False))]:
    print(name, ["%.1f"%v for v in run(*args, seeds=100)])

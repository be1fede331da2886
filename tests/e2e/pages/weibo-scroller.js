// A vue-recycle-scroller as site-markup.md §2a describes it: a fixed pool of item views whose
// nodes are REUSED when the list scrolls; like Vue, only the text nodes' data and the bound
// attributes change, the elements stay.
(function () {
  var rows = window.__weiboRows, POOL = 4, start = 0;
  // like Vue's vnodes, keep references to the nodes once instead of querying the DOM again
  var views = Array.prototype.map.call(document.querySelectorAll('.vue-recycle-scroller__item-view'), function (v) {
    var i1 = v.querySelector('.item1'), i2 = v.querySelector('.item2');
    return { v: v, item: v.querySelector('.wbpro-scroller-item'), i1: i1, i2: i2,
             w1: i1.querySelector('.con1 .text > a').firstChild, t1: i1.querySelector('.con1 .text > span').firstChild,
             w2: i2.querySelector('.text > a').firstChild, t2: i2.querySelector('.text > span').firstChild };
  });
  function fill() {
    views.forEach(function (n, k) {
      var i = start + k, r = rows[i];
      n.item.setAttribute('data-index', String(i));
      n.v.style.transform = 'translateY(' + (i * 120) + 'px)';
      n.i1.setAttribute('data-expect', r.e1); n.i2.setAttribute('data-expect', r.e2);
      n.w1.data = r.w1; n.t1.data = r.t1; n.w2.data = r.w2; n.t2.data = r.t2;
    });
  }
  window.__weiboScroll = function (by) { start = Math.max(0, Math.min(rows.length - POOL, start + by)); fill(); return start; };
  fill();
  document.getElementById('scroll-down').addEventListener('click', function () { window.__weiboScroll(2); });
})();

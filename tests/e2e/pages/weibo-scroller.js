// A vue-recycle-scroller as site-markup.md §2a describes it: a fixed pool of item views whose
// nodes are REUSED when the list scrolls; like Vue, only the text nodes' data and the bound
// attributes change, the elements stay.
(function () {
  var rows = window.__weiboRows, POOL = 4, start = 0;
  var views = document.querySelectorAll('.vue-recycle-scroller__item-view');
  function fill() {
    views.forEach(function (v, k) {
      var i = start + k, r = rows[i];
      var item = v.querySelector('.wbpro-scroller-item');
      item.setAttribute('data-index', String(i));
      v.style.transform = 'translateY(' + (i * 120) + 'px)';
      var i1 = v.querySelector('.item1'), i2 = v.querySelector('.item2');
      i1.setAttribute('data-expect', r.e1); i2.setAttribute('data-expect', r.e2);
      i1.querySelector('.text > a').firstChild.data = r.w1;
      i1.querySelector('.text > span').firstChild.data = r.t1;
      i2.querySelector('.text > a').firstChild.data = r.w2;
      i2.querySelector('.text > span').firstChild.data = r.t2;
    });
  }
  window.__weiboScroll = function (by) { start = Math.max(0, Math.min(rows.length - POOL, start + by)); fill(); return start; };
  fill();
  document.getElementById('scroll-down').addEventListener('click', function () { window.__weiboScroll(2); });
})();
